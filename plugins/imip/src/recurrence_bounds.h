// How much a recurrence rule can make, from its parts alone, before libical iterates it.
//
// libical's iterator works a whole period of the rule's FREQ out before it yields the
// period's first occurrence: FREQ=YEARLY with every BYMONTH, BYMONTHDAY, BYHOUR, BYMINUTE
// and BYSECOND (31 million a year) ran for seconds before the first one, and a zone rule
// of FREQ=SECONDLY from 1601 is expanded onset by onset up to the time converted. These
// bounds let a reader refuse such a rule without running it.
#ifndef MAGENT_IMIP_RECURRENCE_BOUNDS_H_
#define MAGENT_IMIP_RECURRENCE_BOUNDS_H_

#include <libical/ical.h>

#include <cstdint>

namespace magent::imip::internal {

// At most this many occurrences in one period of `rule`'s FREQ (a year for YEARLY): the
// product of the sizes of its BY parts that expand rather than limit (RFC 5545 3.3.10's
// table), with the days of a period at most the period's days. At least 1.
std::uint64_t MostPerPeriod(const icalrecurrencetype& rule);

// At most this many occurrences in one year of `rule`: MostPerPeriod times the periods a
// year holds at its INTERVAL.
std::uint64_t MostPerYear(const icalrecurrencetype& rule);

// Whether `rule` has a BYxxx part (that expands or limits).
bool HasByParts(const icalrecurrencetype& rule);

// At most this many candidates libical works out following `rule` for `days` days from
// its DTSTART: every occurrence its periods can make, whether a limiting BY part then
// lets it through or not. A limiting part that rarely or never matches
// (FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30) yields nothing while libical steps through them
// all. Saturates at UINT64_MAX.
std::uint64_t MostCandidates(const icalrecurrencetype& rule, std::uint64_t days);

}  // namespace magent::imip::internal

#endif  // MAGENT_IMIP_RECURRENCE_BOUNDS_H_
