package io.pressroom.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.SocketException;
import java.util.concurrent.TimeoutException;

import org.hibernate.HibernateException;
import org.junit.jupiter.api.Test;

import io.vertx.sqlclient.ClosedConnectionException;

/** Which failures are a dependency away (a 503 and a retry) rather than a fault of the work (a 500). */
class TransientTest {

    @Test
    void aConnectionRefusedResetClosedOrTimedOutIsTransientHoweverDeeplyWrapped() {
        // seen in the 30-minute fault soak: PostgreSQL killed while a create's transaction started answered 500
        assertThat(Transient.is(new HibernateException(new SocketException("Connection reset")))).isTrue();
        assertThat(Transient.is(new IllegalStateException(new ConnectException("Connection refused")))).isTrue();
        assertThat(Transient.is(new RuntimeException(ClosedConnectionException.INSTANCE))).isTrue();
        assertThat(Transient.is(new TimeoutException())).isTrue();
    }

    @Test
    void aFaultOfTheWorkIsNot() {
        assertThat(Transient.is(new HibernateException("could not map the entity"))).isFalse();
        assertThat(Transient.is(new IllegalArgumentException("bad"))).isFalse();
        assertThat(Transient.is(new NullPointerException())).isFalse();
    }
}
