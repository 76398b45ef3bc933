package org.dp3q.bench.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JcmdTest {
    @Test
    void readsSerialGcHeapInfo() {
        String info = """
                2502:
                 def new generation   total 78656K, used 18445K [0x00000000f0000000, 0x00000000f5550000, 0x00000000f5550000)
                  eden space 69952K,  26% used [0x00000000f0000000, 0x00000000f1203790, 0x00000000f4450000)
                  from space 8704K,   0% used [0x00000000f4450000, 0x00000000f4450000, 0x00000000f4cd0000)
                  to   space 8704K,   0% used [0x00000000f4cd0000, 0x00000000f4cd0000, 0x00000000f5550000)
                 tenured generation   total 174784K, used 100K [0x00000000f5550000, 0x0000000100000000, 0x0000000100000000)
                   the space 174784K,   0% used [0x00000000f5550000, 0x00000000f5550000, 0x00000000f5550200, 0x0000000100000000)
                 Metaspace       used 8931K, committed 9088K, reserved 1114112K
                  class space    used 1062K, committed 1152K, reserved 1048576K
                """;
        Jcmd.Heap heap = Jcmd.parse(info);
        assertEquals(78656 + 174784, heap.committedKb());
        assertEquals(18445 + 100, heap.usedKb());
        assertEquals(8931, heap.metaspaceKb());
    }

    @Test
    void readsTheHistogramTotal() {
        String histogram = """
                 688:             1             16  sun.nio.fs.UnixFileAttributes$UnixAsBasicFileAttributes (java.base@17.0.15)
                Total         46192        2295712
                """;
        assertEquals(2295712, Jcmd.histogramTotalBytes(histogram));
    }

    @Test
    void tellsWhichClassesGrew() {
        Jcmd.Heap before = new Jcmd.Heap(0, 0, 0, Jcmd.classes("""
                   1:          100           1000  [B (java.base@17.0.15)
                   2:           10            400  java.lang.String (java.base@17.0.15)
                """));
        Jcmd.Heap after = new Jcmd.Heap(0, 0, 0, Jcmd.classes("""
                   1:          150           3000  [B (java.base@17.0.15)
                   2:           10            400  java.lang.String (java.base@17.0.15)
                   3:            5            200  org.example.Leak
                """));
        assertEquals(java.util.List.of("[B +2,000 B (+50)", "org.example.Leak +200 B (+5)"), Jcmd.grown(before, after, 5));
    }
}
