#include "compiler/to_pnet/live_to_pnet.hpp"

#include <algorithm>

#include "compiler/to_pnet/adoption_notes.hpp"

namespace podnetc::live {

AdoptingPnet adopting_pnet(const State& state) {
    const Inference inference = infer_topology(state);
    AdoptingPnet out{pnet_declarations(inference), inference.notes};
    for (auto& note : adoption_notes(out.text, state)) out.notes.push_back(std::move(note));
    // Grouped by what they are about ("host: …", "pod-1: …"), in the order found within.
    std::stable_sort(out.notes.begin(), out.notes.end(), [](const std::string& a, const std::string& b) {
        return a.substr(0, a.find(':')) < b.substr(0, b.find(':'));
    });
    if (!out.notes.empty()) {
        out.text += "\n# Notes: what this file does not express, and what a plan would still change.\n";
        for (const std::string& note : out.notes) out.text += "#   " + note + "\n";
    }
    return out;
}

std::string to_pnet(const State& state) { return adopting_pnet(state).text; }

}  // namespace podnetc::live
