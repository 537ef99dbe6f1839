// The heap of every program that holds views (crm-server, crm-replay, the benchmarks that fold):
// jemalloc, linked in by projections/store/CMakeLists.txt's `huge_page_heap`, configured here.
//
// - thp:always backs jemalloc's memory with transparent huge pages (the kernel's default mode,
//   "madvise", gives them only to memory that asks). A view keeps state per customer and the
//   fold reaches it in log order, which is random over customers: with 4 KiB pages nearly every
//   lookup in 200,000 customers' state also misses the TLB, and on a virtual machine each miss
//   is a two-level page walk. A rebuild of every view runs 1.3× faster with them
//   (docs/benchmarks.md, "Projection rebuild").
// - metadata_thp:auto does the same for jemalloc's own tables once they grow.
// - dirty_decay_ms:-1 and muzzy_decay_ms:-1 keep freed memory for the next allocation instead
//   of handing it back to the system over the following seconds. An as-of read builds a view
//   of hundreds of megabytes and lets it go; with the default decay, the next read a few
//   hundred milliseconds later faulted its memory back in, hundreds of zeroed pages a read
//   (analytics on 1M events: p50 58 against 34 ms; docs/benchmarks.md, "As-of reads"). The
//   process keeps the peak of what it held at once instead: its views and the few as-of views
//   it has open.
// - lg_extent_max_active_fit:30 lets that kept memory be split for any smaller request. By
//   default jemalloc splits a kept ("dirty") range only for a request of at least 1/64 of it,
//   a guard that exists because it coalesces kept ranges lazily. A freed view leaves ranges of
//   megabytes and the next view asks mostly for slabs of a few pages, so each as-of read took
//   fresh memory and the kept memory only grew: 28 huge pages zeroed per read of the analytics
//   view on 10M events, a quarter of the read (docs/benchmarks.md, "As-of reads").
// An operator can override any of this with MALLOC_CONF, which jemalloc reads after this string.
extern "C" {
// jemalloc reads this symbol by name at its first allocation; its library defines a weak empty one.
// NOLINTNEXTLINE(cppcoreguidelines-avoid-non-const-global-variables): the name and type are jemalloc's
const char* malloc_conf =
    "thp:always,metadata_thp:auto,dirty_decay_ms:-1,muzzy_decay_ms:-1,lg_extent_max_active_fit:30";
}
