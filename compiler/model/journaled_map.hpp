// An ordered map that remembers every write since a mark, so that a caller can ask
// "what changed since then" and roll back. The kernel model keeps one per object
// kind; the planner applies a step, reads its effects, tries the inverse and rolls
// the trial back, at a cost proportional to what the step touched.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <utility>
#include <vector>

namespace podnetc::plan {

// One object before and after: no `before` = created, no `after` = removed.
template <class T>
struct Change {
    std::optional<T> before;
    std::optional<T> after;
};

// Secondary indexes observe every insertion and removal (NoIndex: none).
struct NoIndex {
    template <class K, class V>
    void added(const K&, const V&) {}
    template <class K, class V>
    void removed(const K&, const V&) {}
};

template <class Key, class Value, class Index = NoIndex>
class JournaledMap {
public:
    using Rows = std::map<Key, Value>;

    const Rows& rows() const { return rows_; }
    const Index& index() const { return index_; }

    const Value* find(const Key& key) const {
        const auto it = rows_.find(key);
        return it == rows_.end() ? nullptr : &it->second;
    }

    // Fills the map before the first mark, without a journal entry; the first value
    // loaded for a key wins.
    void load(const Key& key, Value value) {
        const auto [it, inserted] = rows_.try_emplace(key, std::move(value));
        if (inserted) index_.added(key, it->second);
    }

    void put(const Key& key, Value value) {
        const auto it = rows_.find(key);
        journal_.emplace_back(key, it == rows_.end() ? std::nullopt : std::optional<Value>(it->second));
        set(key, std::move(value));
    }

    bool erase(const Key& key) {
        const auto it = rows_.find(key);
        if (it == rows_.end()) return false;
        journal_.emplace_back(key, it->second);
        set(key, std::nullopt);
        return true;
    }

    std::size_t mark() const { return journal_.size(); }

    void rollback(std::size_t mark) {
        while (journal_.size() > mark) {
            auto entry = std::move(journal_.back());
            journal_.pop_back();
            set(entry.first, std::move(entry.second));
        }
    }

    void commit() { journal_.clear(); }

    // Every object whose value at `mark` differs from its value now (by `same`),
    // in key order.
    template <class Same>
    std::vector<Change<Value>> changes_since(std::size_t mark, Same same) const {
        std::map<Key, std::optional<Value>> first;
        for (std::size_t i = mark; i < journal_.size(); ++i) first.try_emplace(journal_[i].first, journal_[i].second);
        std::vector<Change<Value>> out;
        for (auto& [key, before] : first) {
            const Value* now = find(key);
            if (!before && now == nullptr) continue;
            if (before && now != nullptr && same(*before, *now)) continue;
            out.push_back(Change<Value>{before, now == nullptr ? std::nullopt : std::optional<Value>(*now)});
        }
        return out;
    }

private:
    void set(const Key& key, std::optional<Value> value) {
        const auto it = rows_.find(key);
        if (it != rows_.end()) {
            index_.removed(key, it->second);
            if (!value) {
                rows_.erase(it);
                return;
            }
            it->second = std::move(*value);
            index_.added(key, it->second);
            return;
        }
        if (!value) return;
        const auto inserted = rows_.emplace(key, std::move(*value)).first;
        index_.added(key, inserted->second);
    }

    Rows rows_;
    std::vector<std::pair<Key, std::optional<Value>>> journal_;
    Index index_;
};

}  // namespace podnetc::plan
