package org.dp3q.cli.submit;

import java.util.List;

/** Input that cannot be published as it is; every problem names its line. Nothing is published. */
public class InvalidInputException extends Exception {
    private final List<String> problems;

    public InvalidInputException(List<String> problems) {
        super(problems.size() + " problem(s): " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
