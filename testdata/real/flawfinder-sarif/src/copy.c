#include <stdio.h>
#include <string.h>
#include <stdlib.h>

/* A few classic hits for flawfinder. */
int main(int argc, char **argv) {
    char buf[16];
    char name[32];
    if (argc > 1) {
        strcpy(buf, argv[1]);
        sprintf(name, "%s.txt", argv[1]);
    }
    system(argv[0]);
    strcat(buf, "x"); /* Flawfinder: ignore */
    printf("%s %s\n", buf, name);
    return 0;
}
