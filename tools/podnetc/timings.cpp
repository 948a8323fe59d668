#include "tools/podnetc/timings.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace podnetc::cli {
namespace {

constexpr std::string_view kSendPrefix = "send/ack ";

double ms(std::chrono::nanoseconds time) { return std::chrono::duration<double, std::milli>(time).count(); }

}  // namespace

void Timings::lap(std::string name) {
    const Clock::time_point now = Clock::now();
    phases_.push_back({std::move(name), now - mark_});
    mark_ = now;
}

void Timings::add_transaction(const rt::TransactionOutcome& outcome) {
    const Clock::time_point now = Clock::now();
    std::chrono::nanoseconds accounted = outcome.journal_time + outcome.commit_time;
    phases_.push_back({"journal", outcome.journal_time});
    if (outcome.result) {
        const rt::ApplyResult& applied = *outcome.result;
        for (const auto& [netns, time] : applied.stats.send_time) {
            phases_.push_back({std::string(kSendPrefix) + (netns.empty() ? "host" : netns), time});
            accounted += time;
        }
        phases_.push_back({"namespace operations", applied.stats.namespace_time});
        phases_.push_back({"journal progress marks", applied.stats.mark_time});
        accounted += applied.stats.mark_time;
        phases_.push_back({"verify", applied.verify_time});
        accounted += applied.stats.namespace_time + applied.verify_time;
        if (applied.restore) {
            phases_.push_back({"undo", applied.undo_time});
            accounted += applied.undo_time;
        }
    }
    phases_.push_back({"commit and record", outcome.commit_time});
    // Printing the plan, encoding, listening for another writer: what the phases above leave.
    const std::chrono::nanoseconds spent = now - mark_;
    phases_.push_back({"other (print, encode, watch)", spent > accounted ? spent - accounted : std::chrono::nanoseconds{}});
    mark_ = now;
}

std::string Timings::table(std::size_t most) const {
    std::vector<const Phase*> sends;
    for (const Phase& p : phases_) {
        if (p.name.starts_with(kSendPrefix)) sends.push_back(&p);
    }
    std::stable_sort(sends.begin(), sends.end(), [](const Phase* a, const Phase* b) { return a->time > b->time; });
    std::chrono::nanoseconds rest{};
    std::size_t rest_count = 0;
    for (std::size_t i = most; i < sends.size(); ++i) {
        rest += sends[i]->time;
        ++rest_count;
    }
    std::string out = "Timings:\n";
    const auto line = [&](std::string_view name, std::chrono::nanoseconds time) {
        out += fmt::format("  {:<28} {:>9.1f} ms\n", name, ms(time));
    };
    bool rest_written = false;
    for (const Phase& p : phases_) {
        const auto rank = std::find(sends.begin(), sends.end(), &p);
        if (rank != sends.end() && static_cast<std::size_t>(rank - sends.begin()) >= most) {
            if (!rest_written) line(fmt::format("{}{} more namespaces", kSendPrefix, rest_count), rest);
            rest_written = true;
            continue;
        }
        line(p.name, p.time);
    }
    line("total", total());
    return out;
}

}  // namespace podnetc::cli
