using System;
using System.Text.Json;
using AutoHypergrad;
using AutoHypergrad.Outer;
using OwnOptimizerAndLoss;
using static AutoHypergrad.HyperparameterValue;

// Training data with outliers, clean validation data; 5 features, so w holds 5 weights and a bias.
var (train, validation) = (SyntheticRegression.Make(rows: 40, columns: 5, first: 0, outliers: true), SyntheticRegression.Make(rows: 20, columns: 5, first: 1000, outliers: false));

// The wiring: the hypergradient of the validation MSE after 50 full-batch steps of the user's AMSGrad on the user's
// Huber ridge loss, with respect to the tuned lr and l2, by reverse mode, checkpointed reverse mode and forward mode.
var problem = new BilevelProblem<double>(
    new HuberRidge.LossObjective(train, parameterCount: 6, l2: Tune(1e-3)),
    AmsGrad.StepOptimizer(lr: Tune(0.05), beta2: 0.99),
    new HuberRidge.SquaredErrorObjective(validation, parameterCount: 6),
    steps: 50);
var reverse = problem.Hypergradient(Engine.Reverse);
var checkpointed = problem.Hypergradient(Engine.Checkpointed(slots: 5));
var forward = problem.Hypergradient(Engine.Forward);

// Tuning: 20 steps of Adam on (lr, l2) along the reverse-mode hypergradient, each kept in its declared domain.
var tuned = problem.Optimize(Engine.Reverse, new HyperAdam(learningRate: 0.01), new OuterOptions(Iterations: 20));

Console.WriteLine($"validation MSE {reverse.Value:G6} after 50 steps; ∂/∂({string.Join(", ", reverse.Names)}):");
Console.WriteLine($"  reverse       {reverse.Gradient[0],14:G8} {reverse.Gradient[1],14:G8}");
Console.WriteLine($"  checkpointed  {checkpointed.Gradient[0],14:G8} {checkpointed.Gradient[1],14:G8}");
Console.WriteLine($"  forward       {forward.Gradient[0],14:G8} {forward.Gradient[1],14:G8}");
Console.WriteLine($"tuned: validation MSE {tuned.History[0].Value:G6} → {tuned.BestValue:G6} at lr = {tuned.BestLambda[0]:G4}, l2 = {tuned.BestLambda[1]:G4}");
Console.WriteLine(JsonSerializer.Serialize(new
{
    reverse.Names, reverse.Value, Reverse = reverse.Gradient, Checkpointed = checkpointed.Gradient, Forward = forward.Gradient,
    Tuned = new { Start = tuned.History[0].Value, tuned.BestValue, tuned.BestLambda },
}));
