// ThreadSanitizer reads this hook at start-up in a TSan build (elsewhere nothing calls it).
// Debian's libleveldb is not built with TSan, so TSan does not see the atomics with which
// LevelDB's memtable publishes a node to concurrent readers; it only sees the memcmp that
// a reader's lookup makes through an interceptor, and reports a race that is not there.
extern "C" const char* __tsan_default_suppressions() { return "race:libleveldb.so.1d\n"; }
