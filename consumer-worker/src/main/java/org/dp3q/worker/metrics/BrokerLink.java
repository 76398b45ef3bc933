package org.dp3q.worker.metrics;

import java.util.function.BooleanSupplier;

/** Whether the worker's broker connection is open, and where it points (password masked). */
public record BrokerLink(String maskedUri, BooleanSupplier open) {
}
