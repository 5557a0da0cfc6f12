using System;
using System.Text.Json;
using AutoHypergrad.Engines;
using AutoHypergrad.Engines.Training;
using AutoHypergrad.Objectives;
using OwnOptimizerAndLoss;

// Training data with outliers, clean validation data; 5 features, so w holds 5 weights and a bias.
var train = SyntheticRegression.Make(rows: 40, columns: 5, first: 0, outliers: true);
var validation = SyntheticRegression.Make(rows: 20, columns: 5, first: 1000, outliers: false);

// The wiring: the user's loss and optimizer to the hypergradient of the validation MSE after 50 full-batch steps of
// AMSGrad, with respect to (lr, l2), by reverse mode, checkpointed reverse mode and forward mode.
var layout = new HyperparameterLayout.Builder();
layout.Add("l2", 1, 1e-3, "ridge strength");
var lossLayout = layout.Build();
var objective = new DifferentiableObjective<double>(train, train.FeatureCount + 1, lossLayout, HuberRidge.Loss, HuberRidge.LossAdjoint, HuberRidge.LossHessianVector);
var validationError = new DifferentiableObjective<double>(validation, validation.FeatureCount + 1, HyperparameterLayout.Empty,
    HuberRidge.SquaredError, HuberRidge.SquaredErrorAdjoint, HuberRidge.SquaredErrorHessianVector);
var step = new AmsGrad.StepKernelDouble();
var space = HyperparameterSpace.Create(step.HyperparameterNames, [0.05, 0.9, 0.99, 1e-8], lossLayout, [1e-3],
    new double[train.FeatureCount + 1], steps: 50, tuned: ["lr", "l2"]);
var dynamics = new TrainingDynamics<double>(objective, step, space, null, new StepOptions(1), null);
var response = new ValidationError<double>(validationError);
var lambda = space.InitialValues();
var reverse = new ReverseHypergradient<double>(dynamics, response).Compute(lambda);
var checkpointed = new ReverseHypergradient<double>(dynamics, response, ReverseOptions.Checkpointed(5)).Compute(lambda);
var forward = new ForwardHypergradient<double>(dynamics, response).Compute(lambda);

Console.WriteLine($"validation MSE {reverse.Value:G6} after 50 steps; ∂/∂({string.Join(", ", reverse.Names)}):");
Console.WriteLine($"  reverse       {reverse.Gradient[0],14:G8} {reverse.Gradient[1],14:G8}");
Console.WriteLine($"  checkpointed  {checkpointed.Gradient[0],14:G8} {checkpointed.Gradient[1],14:G8}");
Console.WriteLine($"  forward       {forward.Gradient[0],14:G8} {forward.Gradient[1],14:G8}");
Console.WriteLine(JsonSerializer.Serialize(new { reverse.Names, reverse.Value, Reverse = reverse.Gradient, Checkpointed = checkpointed.Gradient, Forward = forward.Gradient }));
