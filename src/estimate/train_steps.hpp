// The notes of a training estimate (train_notes.cpp), shared by its rows step (train_report.cpp).
#pragma once

#include <string>

#include "llmcost/catalog.hpp"
#include "llmcost/train.hpp"

namespace llmcost {

// What the 6ND (3ND) rule `rule` leaves out: attention at the training context, or that the
// context is unknown when the model only states the longest one it serves.
void add_attention_note(Report& r, const TrainContext& c, const TrainNumbers& n, bool resized, const std::string& rule);

// A --chips count that is not whole instances of the offer.
void add_instance_note(Report& r, const TrainContext& c, const TrainNumbers& n);

// --uncertainty: percentile rows of cost, time, energy and emissions and the variance share each
// spread assumption drives (train_uncertainty.cpp).
void add_uncertainty_rows(Report& r, const Catalog& cat, const TrainInputs& in, const TrainContext& c,
                          const TrainNumbers& n);

// The power the energy assumed, and what a calibrated device without vendor figures lacks.
void add_measured_device_notes(Report& r, const TrainInputs& in, const TrainContext& c, const TrainNumbers& n);

}  // namespace llmcost
