// Bounds how many test cases Swift Testing runs at once, for plain `swift test` as for scripts/test.
//
// Swift Testing 6.3 starts every test case of the run at once when nothing bounds it: four hundred test cases, dozens
// of them with an in-process simulator, a PostgreSQL pool or a child `skald`, share Swift's two cooperative threads
// on a 2-core machine, and answers an in-process server gives in milliseconds alone take tens of seconds (a child
// process's 30-second request timeout expires; a timed-out page is fetched twice). Later Swift Testing releases bound
// the width to twice the processor count by default; this constructor makes that the default here, before the
// test run reads SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH (an explicit value in the environment wins:
// `SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH=1000 swift test` runs everything at once again). The bound applies
// to test cases, not suites, and a test's time limit counts from its own start, not from its wait for a slot.
#include "TestParallelism.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static const char *const variable = "SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH";

int skald_test_parallelization_width(void) {
    const char *value = getenv(variable);
    return value ? atoi(value) : 0;
}

__attribute__((constructor)) static void skald_bound_test_parallelization(void) {
    long processors = sysconf(_SC_NPROCESSORS_ONLN);
    char width[24];
    snprintf(width, sizeof width, "%ld", processors > 0 ? processors * 2 : 4);
    setenv(variable, width, 0);  // 0: an explicit value is kept
}
