package io.gamecrm.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gamecrm.gateway.ingest.RequestError;
import io.gamecrm.gateway.ingest.RequestRefused;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class BodyReaderTest {
    @Test
    void readsABodyWithinTheLimit() {
        assertThat(BodyReader.read(new ByteArrayInputStream(new byte[100]), "100", 100)).hasSize(100);
        assertThat(BodyReader.read(new ByteArrayInputStream(new byte[100]), null, 100)).hasSize(100);
    }

    @Test
    void aDeclaredLengthAboveTheLimitIsRefusedBeforeReading() {
        InputStream never = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("read");
            }
        };
        assertThatThrownBy(() -> BodyReader.read(never, "101", 100)).isInstanceOfSatisfying(RequestRefused.class,
                r -> assertThat(r.error()).isEqualTo(RequestError.BODY_TOO_LARGE));
    }

    @Test
    void aBodyGrowingPastTheLimitIsRefused() {
        assertThatThrownBy(() -> BodyReader.read(new ByteArrayInputStream(new byte[101]), null, 100))
                .isInstanceOfSatisfying(RequestRefused.class, r -> assertThat(r.error()).isEqualTo(RequestError.BODY_TOO_LARGE));
    }

    @Test
    void aReadThatTimesOutIsASlowBody() {
        InputStream stalled = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException(new TimeoutException("Idle timeout expired: 1000/1000 ms"));
            }
        };
        assertThatThrownBy(() -> BodyReader.read(stalled, "10", 100)).isInstanceOfSatisfying(RequestRefused.class,
                r -> assertThat(r.error()).isEqualTo(RequestError.SLOW_BODY));
    }

    @Test
    void aBodyCutShortIsIncomplete() {
        InputStream cut = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("early EOF");
            }
        };
        assertThatThrownBy(() -> BodyReader.read(cut, "10", 100)).isInstanceOfSatisfying(RequestRefused.class,
                r -> assertThat(r.error()).isEqualTo(RequestError.INCOMPLETE_BODY));
    }
}
