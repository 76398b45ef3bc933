package org.dp3q.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {

    @ParameterizedTest(name = "''{0}'' is {1}")
    @CsvSource({
        "90, PT1M30S",
        "90s, PT1M30S",
        "0, PT0S",
        "250ms, PT0.25S",
        "10m, PT10M",
        "2h, PT2H",
        "1d, PT24H",
        "PT10M, PT10M",
        "P1DT2H, PT26H",
        "' 5m ', PT5M",
    })
    void reads_what_people_write(String text, String expected) {
        assertEquals(Duration.parse(expected), new DurationConverter().convert(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "5 m", "1.5h", "10y", "m", "10M", "s10"})
    void rejects_anything_else_with_an_example(String text) {
        TypeConversionException e = assertThrows(TypeConversionException.class, () -> DurationConverter.parse(text));

        assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("e.g. 90s"), e.getMessage());
    }
}
