#ifndef SKALD_TEST_PARALLELISM_H
#define SKALD_TEST_PARALLELISM_H

/// How many test cases Swift Testing runs at once in this process (set before the run starts, see the .c file).
int skald_test_parallelization_width(void);

#endif
