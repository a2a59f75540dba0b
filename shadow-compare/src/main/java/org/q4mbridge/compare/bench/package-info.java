/** Benchmark programs (run by hand, never by the test suite). */
package org.q4mbridge.compare.bench;
