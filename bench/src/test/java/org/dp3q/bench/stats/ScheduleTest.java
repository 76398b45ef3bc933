package org.dp3q.bench.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ScheduleTest {
    @Test
    void lowerBoundIsTheLargerOfAverageLoadAndLongestTask() {
        assertEquals(4.0, Schedule.lowerBound(new double[] {1, 2, 3, 4}, 4), 1e-9); // max(10/4, 4)
    }

    @Test
    void lowerBoundIsAverageLoadWhenTasksAreMany() {
        assertEquals(5.0, Schedule.lowerBound(new double[] {1, 2, 3, 4, 5, 5}, 4), 1e-9); // max(20/4, 5)
        assertEquals(5.0, Schedule.lowerBound(new double[] {2, 2, 2, 2, 2, 2, 2, 2, 2, 2}, 4), 1e-9);
    }

    @Test
    void fifoTakesTheQueueOrder() {
        // slots 2: [5] [1,1,1,1] -> 5; while [1,1,1,1,5] ends at 2 + 5 = 7
        assertEquals(5, Schedule.fifoMakespan(new double[] {5, 1, 1, 1, 1}, 2), 1e-9);
        assertEquals(7, Schedule.fifoMakespan(new double[] {1, 1, 1, 1, 5}, 2), 1e-9);
        assertEquals(9, Schedule.fifoMakespan(new double[] {1, 1, 1, 1, 5}, 1), 1e-9);
    }

    @Test
    void equalTasksThatDivideEvenlyMeetTheBound() {
        double[] tasks = new double[400];
        java.util.Arrays.fill(tasks, 0.2);
        assertEquals(Schedule.lowerBound(tasks, 8), Schedule.fifoMakespan(tasks, 8), 1e-9);
    }
}
