#include "compiler/plan/recorded_ownership.hpp"

#include <string_view>

#include "compiler/objects/object_keys.hpp"
#include "compiler/objects/ownership.hpp"
#include "compiler/steps/plan_describe.hpp"
#include "compiler/steps/plan_specs.hpp"

namespace podnetc::plan {
namespace {

template <class Object>
bool marked_or_recorded(const Object& object, const AppliedRecord& record, std::string_view word) {
    if (is_owned(object)) return true;
    if (!record) return false;
    const auto it = record->find(record_key(key_of(object)));
    if (it == record->end()) return false;
    auto remarked = request(object);
    remarked.protocol = kOwnedProtocol;
    return it->second == std::string(word) + " " + describe(remarked);
}

}  // namespace

bool ours(const live::Address& address, const AppliedRecord& record) {
    return marked_or_recorded(address, record, "address");
}
bool ours(const live::Route& route, const AppliedRecord& record) { return marked_or_recorded(route, record, "route"); }
bool ours(const live::Neighbor& neighbor, const AppliedRecord& record) {
    return marked_or_recorded(neighbor, record, "neighbor");
}

}  // namespace podnetc::plan
