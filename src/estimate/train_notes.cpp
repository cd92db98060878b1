// Notes of a training estimate: what the FLOP rule leaves out, what a chip count that is not
// whole instances means, and what power and memory the estimate assumed or lacks.
#include <cmath>

#include "estimate/train_steps.hpp"

namespace llmcost {

// What the 6ND rule leaves out: attention, 6·n_layer·n_ctx·d_model per token at the training context.
void add_attention_note(Report& r, const TrainContext& c, const TrainNumbers& n, bool resized,
                        const std::string& rule) {
  const Model* m = c.model;
  if (!m || !m->layers || !m->d_model || resized) return;
  if (c.seq_len > 0) {
    const double attn = 6.0 * *m->layers * c.seq_len * *m->d_model;
    r.notes.emplace_back(
        Text::of("{} leaves out attention FLOPs (6·n_layer·n_ctx·d_model per token), {} more here; "
                 "--flops-rule detailed includes them",
                 rule, Quantity{attn / (c.flop_per_param_token * n.active), Unit::fraction}));
  } else if (m->max_seq_len) {
    r.notes.emplace_back(
        Text::of("{} leaves out attention FLOPs; the context {} was trained at is unknown (it serves "
                 "up to {} tokens): give --seq-len to size them",
                 rule, m->id, Quantity{double(*m->max_seq_len), Unit::count}));
  }
}

// A given chip count that is not whole instances of the offer is billed per chip-hour.
void add_instance_note(Report& r, const TrainContext& c, const TrainNumbers& n) {
  if (c.offer && c.offer->count > 1 && std::fmod(n.chips, c.offer->count) != 0) {
    const double whole = std::ceil(n.chips / c.offer->count) * c.offer->count;
    r.notes.emplace_back(
        Text::of("{} chips are not whole {} instances of {} chips: the cost is per chip-hour, as if "
                 "part of an instance could be rented; whole instances are {} chips",
                 Quantity{n.chips, Unit::count}, c.offer->instance, Quantity{double(c.offer->count), Unit::count},
                 Quantity{whole, Unit::count}));
  }
}

// What the estimate assumes about power, and what a calibrated device without vendor figures lacks.
void add_measured_device_notes(Report& r, const TrainInputs& in, const TrainContext& c, const TrainNumbers& n) {
  if (!n.has_energy) {
    r.notes.emplace_back(
        Text::of("no energy: {} has no TDP (a calibration, not a catalog accelerator); give "
                 "--watts-per-chip",
                 c.acc->name));
  } else if (!in.watts_per_chip) {
    r.notes.emplace_back(Text::of(
        "energy assumes each chip's server draws {} per chip at full load, {} × the {} TDP "
        "(host CPUs, memory, network); a measured draw differs (GPT-3 on V100: 330 W per "
        "GPU): give --watts-per-chip",
        Quantity{n.watts, Unit::watts}, Quantity{n.host_power_ratio, Unit::number}, Quantity{n.tdp, Unit::watts}));
  }
  if (!n.has_memory) {
    r.notes.emplace_back(
        Text::of("{} has no memory size (a calibration, not a catalog accelerator): chips are not "
                 "checked against the training state",
                 c.acc->name));
  }
}

}  // namespace llmcost
