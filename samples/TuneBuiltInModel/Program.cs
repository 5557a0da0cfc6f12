using System;
using System.Collections.Generic;
using System.Text.Json;
using AutoHypergrad;
using AutoHypergrad.Objectives.Models;
using AutoHypergrad.Optimizers;
using AutoHypergrad.Outer;
using TuneBuiltInModel;
using static AutoHypergrad.HyperparameterValue;

var (train, validation, test) = (Blobs.Make(rows: 150, seed: 1), Blobs.Make(rows: 1000, seed: 2), Blobs.Make(rows: 1000, seed: 3));
var model = new ModelOptions(ModelKind.Softmax) { Hyperparameters = LossHyperparameters.L2 };

// Softmax regression with an L2 penalty, trained by 100 full-batch steps of momentum; f is the validation
// cross-entropy of the trained weights, λ = (lr, l2): lr through the factory, the model's l2 block by name. The start
// is poor on purpose: too small a step for 100 steps, too strong a penalty.
var validationLoss = Responses.CrossEntropy(validation, model);
var problem = new BilevelProblem<double>(
    ModelObjective<double>.Create(train, model),
    Momentum.StepOptimizer(lr: Tune(0.01), mu: 0.9),
    validationLoss,
    steps: 100,
    new BilevelOptions { Tune = ["l2"], LossValues = new Dictionary<string, double> { ["l2"] = 1.0 } });

// 30 steps of Adam on λ along reverse-mode hypergradients, each in its declared domain (lr > 0, l2 ≥ 0).
var tuned = problem.Optimize(Engine.Reverse, new HyperAdam(learningRate: 0.05), new OuterOptions(Iterations: 30));

// The model trained at the first and at the best λ, scored on the validation and the test set: the cross-entropy that
// was tuned, and the accuracy, a metric that was not (a strong penalty can rank well while it predicts timidly).
var (first, best) = (problem.Train(problem.InitialHyperparameters), problem.Train(tuned.BestLambda));
var (firstTest, bestTest) = (validationLoss.Evaluate(first, test), validationLoss.Evaluate(best, test));
Console.WriteLine($"λ = (lr, l2): ({problem.InitialHyperparameters[0]:G4}, {problem.InitialHyperparameters[1]:G4}) → ({tuned.BestLambda[0]:G4}, {tuned.BestLambda[1]:G4})");
Console.WriteLine($"validation cross-entropy {tuned.History[0].Value:G5} → {tuned.BestValue:G5}; accuracy {validationLoss.Accuracy(first):P1} → {validationLoss.Accuracy(best):P1}");
Console.WriteLine($"test cross-entropy {firstTest.Loss:G5} → {bestTest.Loss:G5}; accuracy {firstTest.Accuracy:P1} → {bestTest.Accuracy:P1}");
Console.WriteLine(JsonSerializer.Serialize(new
{
    Start = tuned.History[0].Value, tuned.BestValue, tuned.BestLambda,
    ValidationAccuracy = new[] { validationLoss.Accuracy(first), validationLoss.Accuracy(best) },
    TestCrossEntropy = new[] { firstTest.Loss, bestTest.Loss },
    TestAccuracy = new[] { firstTest.Accuracy, bestTest.Accuracy },
}));
