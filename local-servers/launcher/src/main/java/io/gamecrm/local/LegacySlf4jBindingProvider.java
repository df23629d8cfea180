package io.gamecrm.local;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * Internal: an SLF4J 2 provider that routes logging to an SLF4J 1.x binding on the same classpath
 * ({@code org.slf4j.impl.StaticLoggerBinder}, e.g. from {@code log4j-slf4j-impl}).
 *
 * <p>The Kafka runtime classpath pairs slf4j-api 2.x (managed by the parent POM) with the 1.x binding
 * {@code log4j-slf4j-impl}; slf4j 2 ignores such bindings, so the broker would log nothing. The launcher
 * selects this class with {@code -Dslf4j.provider=io.gamecrm.local.LegacySlf4jBindingProvider} in that case
 * only. It is copied into {@code <base>/bootstrap} and put on the child classpath; it is not registered as a
 * service, so nothing else picks it up. MDC and markers use slf4j's basic implementations.
 */
public final class LegacySlf4jBindingProvider implements SLF4JServiceProvider {

    private final IMarkerFactory markerFactory = new BasicMarkerFactory();
    private final MDCAdapter mdcAdapter = new BasicMDCAdapter();
    private volatile ILoggerFactory loggerFactory;

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggerFactory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markerFactory;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdcAdapter;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
        try {
            Class<?> binderClass = Class.forName("org.slf4j.impl.StaticLoggerBinder");
            Object binder = binderClass.getMethod("getSingleton").invoke(null);
            loggerFactory = (ILoggerFactory) binderClass.getMethod("getLoggerFactory").invoke(binder);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("no usable SLF4J 1.x binding (org.slf4j.impl.StaticLoggerBinder)", e);
        }
    }
}
