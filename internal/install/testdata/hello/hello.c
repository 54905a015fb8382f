#include <stdio.h>

int main(void) {
	printf("hello from recipe\n");
	return 0;
}
