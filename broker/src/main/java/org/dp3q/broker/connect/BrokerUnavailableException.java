package org.dp3q.broker.connect;

/** The broker did not answer, or did not confirm what we published. Commands exit with code 3. */
public class BrokerUnavailableException extends Exception {
    public BrokerUnavailableException(String maskedUri, Throwable cause) {
        super("broker " + maskedUri + " is unreachable: " + describe(cause), cause);
    }

    public BrokerUnavailableException(String message) {
        super(message);
    }

    private static String describe(Throwable cause) {
        if (cause == null) {
            return "no answer";
        }
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : BrokerSettings.masked(message);
    }
}
