#include <stdio.h>
#include <stdlib.h>

static int sign(int x) {
    if (x > 0)
        return 1;
    if (x < 0)
        return -1;
    return 0;
}

static int never_called(int x) {
    int t = 0;
    for (int i = 0; i < x; i++)
        t += i;
    return t;
}

int main(int argc, char **argv) {
    int x = argc > 1 ? atoi(argv[1]) : 0;
    printf("%d\n", sign(x));
    if (x > 100)
        printf("%d\n", never_called(x));
    return 0;
}
