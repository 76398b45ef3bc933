package org.dp3q.it.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a test class against a {@link ScratchBroker} of its own instead of the shared broker: for tests that
 * stop and start the broker, or need a small {@code consumer_timeout}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface OwnBroker {
    /** The node's {@code consumer_timeout} in ms; 0 keeps RabbitMQ's default. */
    long consumerTimeoutMs() default 0;
}
