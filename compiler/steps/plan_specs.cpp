#include "compiler/steps/plan_specs.hpp"

namespace podnetc::plan {

kernel::Address request(const kernel::Address& address) {
    kernel::Address a = address;
    a.flags = 0;
    return a;
}

kernel::Route request(const kernel::Route& route) {
    kernel::Route r = route;
    r.flags &= kOnlink;
    r.nexthops.clear();
    return r;
}

kernel::Neighbor request(const kernel::Neighbor& neighbor) {
    kernel::Neighbor n = neighbor;
    n.flags = 0;
    return n;
}

live::Address observed(const kernel::Address& requested) {
    live::Address a;
    static_cast<kernel::Address&>(a) = requested;
    a.flags = kIfaPermanent;
    return a;
}

}  // namespace podnetc::plan
