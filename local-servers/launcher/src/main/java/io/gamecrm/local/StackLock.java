package io.gamecrm.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Exclusive lock on {@code <base>/stack.lock}, held while servers are looked up, started or stopped, so two
 * JVMs (or two threads) never launch the same stack twice. Re-entrant within a thread. The OS releases the
 * file lock if the JVM dies.
 */
final class StackLock implements AutoCloseable {

    private static final ReentrantLock IN_JVM = new ReentrantLock();
    private static final long POLL_MILLIS = 100;
    private static FileChannel channel; // guarded by IN_JVM
    private static FileLock fileLock;   // guarded by IN_JVM

    private StackLock() {
    }

    /**
     * Waits up to {@code timeout} for the lock.
     *
     * @throws LocalStackException on timeout
     */
    static StackLock acquire(Path lockFile, Duration timeout, StackListener listener) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!IN_JVM.tryLock(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw timeout(lockFile, timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted while waiting for " + lockFile, e);
        }
        if (IN_JVM.getHoldCount() > 1) {
            return new StackLock();
        }
        try {
            Files.createDirectories(lockFile.getParent());
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            boolean told = false;
            while ((fileLock = tryLock(channel)) == null) {
                if (!told) {
                    listener.onProgress("waiting for another process that is starting or stopping the servers"
                            + " (lock " + lockFile + ")");
                    told = true;
                }
                if (System.nanoTime() - deadline > 0) {
                    throw timeout(lockFile, timeout);
                }
                Thread.sleep(POLL_MILLIS);
            }
            return new StackLock();
        } catch (IOException e) {
            release();
            throw new UncheckedIOException("cannot lock " + lockFile, e);
        } catch (InterruptedException e) {
            release();
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted while waiting for " + lockFile, e);
        } catch (RuntimeException e) {
            release();
            throw e;
        }
    }

    private static FileLock tryLock(FileChannel ch) throws IOException {
        try {
            return ch.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    private static LocalStackException timeout(Path lockFile, Duration timeout) {
        return new LocalStackException("another process held " + lockFile + " for more than "
                + timeout.toSeconds() + " s; is a start or stop hanging?");
    }

    @Override
    public void close() {
        release();
    }

    private static void release() {
        if (!IN_JVM.isHeldByCurrentThread()) {
            return;
        }
        if (IN_JVM.getHoldCount() == 1) {
            try {
                if (fileLock != null) {
                    fileLock.release();
                }
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException e) {
                // closing the channel releases the lock anyway
            } finally {
                fileLock = null;
                channel = null;
            }
        }
        IN_JVM.unlock();
    }
}
