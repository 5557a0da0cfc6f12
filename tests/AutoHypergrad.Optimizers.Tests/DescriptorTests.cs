using System;
using System.Linq;
using System.Numerics;
using System.Reflection;
using AutoHypergrad.Steps;
using Xunit;

namespace AutoHypergrad.Optimizers.Tests;

/// <summary>Each optimizer's generated factory describes exactly its Step's parameters, read back by reflection from the written step and its float twin.</summary>
public sealed class DescriptorTests
{
    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (Type type in OptimizerCases.Types)
        {
            data.Add(type.Name);
        }

        return data;
    }

    [Fact]
    public void All_lists_every_optimizer_class_once()
    {
        Type[] withFactory = typeof(Optimizers).Assembly.GetTypes()
            .Where(t => t.GetMethod("StepOptimizer", BindingFlags.Public | BindingFlags.Static)?.ReturnType == typeof(Optimizer))
            .OrderBy(t => t.Name)
            .ToArray();
        Assert.Equal(withFactory, Optimizers.All.Select(d => d.Type).OrderBy(t => t.Name));
        Assert.Equal(OptimizerCases.Types.OrderBy(t => t.Name), withFactory);
        Assert.Equal(Optimizers.All.Count, Optimizers.All.Select(d => d.Name).Distinct().Count());
        Assert.All(Optimizers.All, d => Assert.Same(Optimizers.Find(d.Name.ToUpperInvariant()), d));
    }

    /// <summary>
    /// The generated factory, called with no arguments, describes the one hand-written Step (double) as its attributes
    /// declare it, and the float twin the generator writes has the same parameters in float.
    /// </summary>
    [Theory]
    [MemberData(nameof(Names))]
    public void The_factory_describes_the_Step_parameters_in_order(string name)
    {
        Type type = OptimizerCases.Get(name);
        MethodInfo factory = type.GetMethod("StepOptimizer", BindingFlags.Public | BindingFlags.Static)!;
        var descriptor = (Optimizer)factory.Invoke(null, factory.GetParameters().Select(_ => Type.Missing).ToArray())!;
        Assert.Equal(name, descriptor.Name);
        Assert.Same(type, descriptor.Type);

        MethodInfo[] steps = type.GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.Name == "Step" && m.GetParameters()[0].ParameterType.IsByRef)
            .ToArray();
        Assert.Equal(
            new[] { typeof(double), typeof(float) }.OrderBy(t => t.Name),
            steps.Select(m => m.GetParameters()[0].ParameterType.GetElementType()!).OrderBy(t => t.Name));
        MethodInfo written = Assert.Single(steps, m => m.GetCustomAttribute<System.CodeDom.Compiler.GeneratedCodeAttribute>() is null);
        Assert.Equal(typeof(double), written.GetParameters()[0].ParameterType.GetElementType());
        Assert.All(steps, m => Assert.NotNull(m.GetCustomAttribute<DifferentiableAttribute>()));

        ParameterInfo[] hyperParameters = written.GetParameters().Where(p => p.GetCustomAttribute<HyperAttribute>() is not null).ToArray();
        string[] hyper = hyperParameters.Select(p => p.Name!).ToArray();
        Assert.Equal(hyper, descriptor.Hyperparameters.Select(h => h.Name));
        Assert.Equal(hyperParameters.Select(p => p.GetCustomAttribute<PerElementAttribute>() is not null), descriptor.Hyperparameters.Select(h => h.PerElement));
        Assert.Equal(hyperParameters.Select(p => p.GetCustomAttribute<HyperAttribute>()!.Default), descriptor.Hyperparameters.Select(h => h.Default));
        Assert.Equal(hyperParameters.Select(p => p.GetCustomAttribute<HyperAttribute>()!.Domain), descriptor.Hyperparameters.Select(h => h.Domain));

        foreach (MethodInfo step in steps)
        {
            ParameterInfo[] parameters = step.GetParameters();
            Type scalar = parameters[0].ParameterType.GetElementType()!;

            // The layout the factory promises: w, the state, g, the hyperparameters, the options.
            string[] expected = ["w", .. descriptor.State, "g", .. hyper, .. descriptor.Options];
            Assert.Equal(expected, parameters.Select(p => p.Name!));
            Assert.All(parameters.Take(1 + descriptor.State.Count), p => Assert.Equal(scalar.MakeByRefType(), p.ParameterType));
            Assert.Equal(scalar, parameters[1 + descriptor.State.Count].ParameterType);
            Assert.All(parameters.Where(p => hyper.Contains(p.Name)), p => Assert.Equal(scalar, p.ParameterType));
            Assert.All(parameters.Skip(expected.Length - descriptor.Options.Count), p => Assert.Equal(p.Name == "t" ? scalar : typeof(bool), p.ParameterType));
        }

        Assert.Equal(descriptor.Options.Contains("t"), descriptor.UsesStepCount);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Kernels_have_the_descriptor_names(string name)
    {
        Optimizer descriptor = Optimizers.Find(name);

        HasTheDescriptorNames(descriptor, descriptor.Step<double>());
        HasTheDescriptorNames(descriptor, descriptor.Step<float>());
        Assert.Same(descriptor.Step<double>(), descriptor.Step<double>());
        Assert.Same(descriptor.Step<float>(), descriptor.Step<float>());
        Assert.Throws<NotSupportedException>(() => descriptor.Step<Half>());
    }

    private static void HasTheDescriptorNames<T>(Optimizer descriptor, IVectorizedStep<T> kernel)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Assert.Equal(descriptor.Name, kernel.Name);
        Assert.Equal(new[] { "w" }.Concat(descriptor.State), kernel.StateNames);
        Assert.Equal(descriptor.Hyperparameters.Select(h => h.Name), kernel.HyperparameterNames);
        Assert.Equal(descriptor.Options, kernel.OptionNames);
        Assert.Equal(descriptor.Hyperparameters.Select(h => h.PerElement), kernel.PerElement);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Defaults_lie_in_their_domains(string name)
    {
        Optimizer descriptor = Optimizers.Find(name);
        Assert.All(descriptor.Hyperparameters, h => Assert.True(h.Domain.Contains(h.Default), $"{h.Name} = {h.Default} ∉ {h.Domain}"));
        Assert.Equal(descriptor.Hyperparameters.Select(h => h.Default), descriptor.ValuesArray());

        // Packed for n = 3 parameters: a per-element one's default in every element.
        double[] packed = descriptor.Packed(3);
        Assert.Equal(VectorizedStepLayout.HyperparameterLength(descriptor.Step<double>(), 3), packed.Length);
        for (int h = 0; h < descriptor.Hyperparameters.Count; h++)
        {
            int offset = VectorizedStepLayout.HyperparameterOffset(descriptor.Step<double>(), h, 3);
            int size = VectorizedStepLayout.HyperparameterSize(descriptor.Step<double>(), h, 3);
            Assert.All(packed.AsSpan(offset, size).ToArray(), value => Assert.Equal(descriptor.Hyperparameters[h].Default, value));
        }

        Assert.Equal(descriptor.ValuesArray(), descriptor.Packed(1));
        Assert.Equal(HyperparameterDomain.Positive, descriptor.Hyperparameter("lr").Domain);
        Assert.Equal(HyperparameterDomain.NonNegative, descriptor.Hyperparameter("wd").Domain);
        Assert.Throws<ArgumentException>(() => descriptor.Hyperparameter("nonexistent"));
    }

    [Fact]
    public void Usual_defaults()
    {
        Optimizer adam = Adam.StepOptimizer();
        Assert.Equal([1e-3, 0.9, 0.999, 1e-8, 0.0], adam.ValuesArray());
        Assert.Equal(["m", "v"], adam.State);
        Assert.True(adam.UsesStepCount);
        Assert.Equal([1e-3, 0.9, 0.999, 1e-8, 0.01], AdamW.StepOptimizer().ValuesArray());
        Assert.Equal([0.01, 0.99, 1e-8, 0.0], RmsProp.StepOptimizer().ValuesArray());
        Assert.Equal([0.01, 1e-10, 0.0], Adagrad.StepOptimizer().ValuesArray());
        Assert.Equal([1.0, 0.9, 1e-6, 0.0], Adadelta.StepOptimizer().ValuesArray());
        Assert.Equal([1e-4, 0.9, 0.99, 0.0], Lion.StepOptimizer().ValuesArray());
        Assert.Equal(0.9, Momentum.StepOptimizer().Hyperparameter("mu").Default);
        Assert.False(Momentum.StepOptimizer().UsesStepCount);

        // The per-parameter optimizers: the uniform ones' defaults, lr per-element and nothing else.
        foreach ((Optimizer perParameter, Optimizer uniform) in new[]
        {
            (SgdPerParameter.StepOptimizer(), Sgd.StepOptimizer()),
            (MomentumPerParameter.StepOptimizer(), Momentum.StepOptimizer()),
            (AdamPerParameter.StepOptimizer(), Adam.StepOptimizer()),
        })
        {
            Assert.Equal(uniform.Hyperparameters.Select(h => h with { PerElement = h.Name == "lr" }), perParameter.Hyperparameters);
            Assert.Equal(uniform.State, perParameter.State);
            Assert.Equal(uniform.Options, perParameter.Options);
            Assert.True(perParameter.HasPerElementHyperparameters);
            Assert.False(uniform.HasPerElementHyperparameters);
        }

        Assert.Equal([0.01, 0.01, 0.01, 0.0], SgdPerParameter.StepOptimizer().Packed(3));
        Assert.Equal([0.0], SgdPerParameter.StepOptimizer().Packed(0));
    }

    [Fact]
    public void Domains()
    {
        Assert.True(HyperparameterDomain.UnitInterval.Contains(0));
        Assert.False(HyperparameterDomain.UnitInterval.Contains(1));
        Assert.False(HyperparameterDomain.Positive.Contains(0));
        Assert.True(HyperparameterDomain.NonNegative.Contains(0));
        Assert.False(HyperparameterDomain.NonNegative.Contains(-1e-300));
        Assert.True(HyperparameterDomain.Unconstrained.Contains(-1e300));
        Assert.False(HyperparameterDomain.Unconstrained.Contains(double.NaN));
    }
}
