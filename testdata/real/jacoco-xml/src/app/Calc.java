package app;

/** Partly covered by Main. */
public class Calc {
    public static int sign(int x) {
        if (x > 0) {
            return 1;
        }
        if (x < 0) {
            return -1;
        }
        return 0;
    }

    public static int neverCalled(int n) {
        int t = 0;
        for (int i = 0; i < n; i++) {
            t += i;
        }
        return t;
    }
}
