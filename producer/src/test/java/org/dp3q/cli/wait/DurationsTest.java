package org.dp3q.cli.wait;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {

    @ParameterizedTest(name = "{0} s is {1}")
    @CsvSource({
        "0, 0s",
        "42, 42s",
        "59, 59s",
        "60, 1m00s",
        "185, 3m05s",
        "3599, 59m59s",
        "3600, 1h00m",
        "8069, 2h14m",
        "90000, 25h00m",
        "-5, 0s",
    })
    void durations_read_like_people_write_them(long seconds, String text) {
        assertEquals(text, Durations.human(Duration.ofSeconds(seconds)));
    }

    @ParameterizedTest
    @CsvSource({"999, 0s", "59999, 59s"})
    void fractions_of_a_second_are_dropped(long millis, String text) {
        assertEquals(text, Durations.human(Duration.ofMillis(millis)));
    }
}
