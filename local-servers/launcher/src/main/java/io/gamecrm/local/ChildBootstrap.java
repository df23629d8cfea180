package io.gamecrm.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;

/**
 * Copies the few launcher classes a child JVM needs ({@link ParentWatch}, {@link LegacySlf4jBindingProvider})
 * into a directory of their own, which goes first on each server's classpath.
 *
 * <p>The launcher's code location itself is not put on the child classpath: in a shaded CLI jar it would bring
 * Storm, a logging configuration and many libraries into the servers. Files are rewritten only when their
 * content changed, atomically, so running children are not disturbed.
 */
public final class ChildBootstrap {

    private static final List<Class<?>> CLASSES = List.of(ParentWatch.class, LegacySlf4jBindingProvider.class);

    private ChildBootstrap() {
    }

    /** Installs the classes below {@code dir} and returns {@code dir}, the classpath entry to use. */
    public static Path install(Path dir) {
        try {
            installClasses(dir, CLASSES);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install the child bootstrap classes in " + dir, e);
        }
    }

    /**
     * Copies the class files of {@code classes} below {@code dir} (as {@code dir/io/gamecrm/.../X.class}), each
     * only when its content changed, atomically. Also for other launchers' bootstrap directories (Storm's).
     */
    public static void installClasses(Path dir, List<Class<?>> classes) throws IOException {
        for (Class<?> c : classes) {
            String resource = c.getName().replace('.', '/') + ".class";
            byte[] bytes;
            try (InputStream in = c.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("class file " + resource + " not found");
                }
                bytes = in.readAllBytes();
            }
            Path target = dir.resolve(resource);
            if (Files.isRegularFile(target) && Arrays.equals(Files.readAllBytes(target), bytes)) {
                continue;
            }
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), "class", ".tmp");
            Files.write(tmp, bytes);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }
}
