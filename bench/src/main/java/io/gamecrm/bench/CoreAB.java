package io.gamecrm.bench;

import java.io.File;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An A/B of two builds of the topology on one {@link CoreBenchmark} method, in one JVM: each build's
 * classes in a class loader of its own (with the rest of the bench classpath), measured in
 * alternating 2 s rounds after 8 warm-up rounds. On a noisy machine, where two JMH runs minutes apart
 * differ by more than the change being measured, both builds see the same noise; the result is the
 * median per build and in how many rounds B was faster.
 *
 * <pre>
 * java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.gamecrm.bench.CoreAB \
 *     apply OLD/topology/target/classes topology/target/classes 16
 * </pre>
 */
public final class CoreAB {
    private static final long ROUND_NANOS = 2_000_000_000L;
    private static final int WARM_UP_ROUNDS = 8;

    private CoreAB() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: CoreAB METHOD A_CLASSES_DIR B_CLASSES_DIR ROUNDS   (METHOD: validate, dispatch, apply, core)");
            System.exit(2);
        }
        String method = args[0];
        int rounds = Integer.parseInt(args[3]);
        Object[] bench = new Object[2];
        Method[] call = new Method[2];
        for (int v = 0; v < 2; v++) {
            ClassLoader loader = loaderFor(args[1 + v]);
            Thread.currentThread().setContextClassLoader(loader);
            Class<?> c = loader.loadClass(CoreBenchmark.class.getName());
            bench[v] = c.getConstructor().newInstance();
            c.getMethod("setUp").invoke(bench[v]);
            call[v] = c.getMethod(method);
        }
        double[][] nanos = new double[2][rounds];
        for (int k = -WARM_UP_ROUNDS; k < rounds; k++) {
            for (int i = 0; i < 2; i++) {
                int v = (k & 1) == 0 ? i : 1 - i; // who goes first alternates
                long n = 0;
                long t0 = System.nanoTime();
                long t;
                do {
                    for (int j = 0; j < 256; j++) {
                        call[v].invoke(bench[v]);
                    }
                    n += 256;
                } while ((t = System.nanoTime()) - t0 < ROUND_NANOS);
                if (k >= 0) {
                    nanos[v][k] = (t - t0) / (double) n;
                }
            }
        }
        for (int v = 0; v < 2; v++) {
            System.out.printf("%s %s %s: median %.0f ns per event (rounds from %.0f to %.0f)%n", method, v == 0 ? "A" : "B",
                    args[1 + v], median(nanos[v]), min(nanos[v]), max(nanos[v]));
        }
        System.out.printf("B faster in %d of %d rounds; B/A of the medians %.3f%n", fasterRounds(nanos[0], nanos[1]),
                rounds, median(nanos[1]) / median(nanos[0]));
    }

    private static ClassLoader loaderFor(String classesDir) throws MalformedURLException {
        List<URL> urls = new ArrayList<>();
        urls.add(new File(classesDir).toURI().toURL());
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.contains("crm-topology")) { // the builds under test replace the topology
                urls.add(new File(entry).toURI().toURL());
            }
        }
        return new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
    }

    static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    static int fasterRounds(double[] a, double[] b) {
        int wins = 0;
        for (int k = 0; k < a.length; k++) {
            if (b[k] < a[k]) {
                wins++;
            }
        }
        return wins;
    }

    private static double min(double[] xs) {
        return Arrays.stream(xs).min().orElse(Double.NaN);
    }

    private static double max(double[] xs) {
        return Arrays.stream(xs).max().orElse(Double.NaN);
    }
}
