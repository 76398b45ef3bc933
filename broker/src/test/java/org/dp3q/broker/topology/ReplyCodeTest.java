package org.dp3q.broker.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ShutdownSignalException;
import com.rabbitmq.client.impl.AMQImpl;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The reply code of a channel the broker closed, whichever way the client hands the closing over. */
class ReplyCodeTest {
    private static ShutdownSignalException closedWith(int code) {
        return new ShutdownSignalException(false, false, new AMQImpl.Channel.Close(code, "refused", 50, 10), null);
    }

    @Test
    void anIoExceptionCausedByTheClosingGivesItsCode() {
        assertEquals(AMQP.ACCESS_REFUSED, TopologyDeclarer.replyCode(new IOException(closedWith(AMQP.ACCESS_REFUSED))));
    }

    @Test
    void theShutdownSignalItselfGivesItsCode() {
        assertEquals(AMQP.NOT_FOUND, TopologyDeclarer.replyCode(closedWith(AMQP.NOT_FOUND)));
    }

    @Test
    void anythingElseGivesMinusOne() {
        assertEquals(-1, TopologyDeclarer.replyCode(new IOException("connection reset")));
        assertEquals(-1, TopologyDeclarer.replyCode(new ShutdownSignalException(true, false,
                new AMQImpl.Connection.Close(320, "forced", 0, 0), null)));
    }
}
