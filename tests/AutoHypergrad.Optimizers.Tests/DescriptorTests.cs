using System;
using System.Linq;
using System.Numerics;
using System.Reflection;
using AutoHypergrad.Engines;
using Xunit;

namespace AutoHypergrad.Optimizers.Tests;

/// <summary>Each descriptor lists exactly its Step's parameters, read back by reflection from both overloads.</summary>
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
        Type[] withDescriptor = typeof(OptimizerDescriptor).Assembly.GetTypes()
            .Where(t => t.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.PropertyType == typeof(OptimizerDescriptor))
            .OrderBy(t => t.Name)
            .ToArray();
        Assert.Equal(withDescriptor, Optimizers.All.Select(d => d.Type).OrderBy(t => t.Name));
        Assert.Equal(OptimizerCases.Types.OrderBy(t => t.Name), withDescriptor);
        Assert.Equal(Optimizers.All.Count, Optimizers.All.Select(d => d.Name).Distinct().Count());
        Assert.All(Optimizers.All, d => Assert.Same(Optimizers.Find(d.Name.ToUpperInvariant()), d));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Descriptor_lists_the_Step_parameters_in_order(string name)
    {
        Type type = OptimizerCases.Get(name);
        var descriptor = (OptimizerDescriptor)type.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
        Assert.Equal(name, descriptor.Name);
        Assert.Same(type, descriptor.Type);

        MethodInfo[] steps = type.GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.Name == "Step" && m.GetCustomAttribute<DifferentiableAttribute>() is not null)
            .ToArray();
        Assert.Equal(
            new[] { typeof(double), typeof(float) }.OrderBy(t => t.Name),
            steps.Select(m => m.GetParameters()[0].ParameterType.GetElementType()!).OrderBy(t => t.Name));

        foreach (MethodInfo step in steps)
        {
            ParameterInfo[] parameters = step.GetParameters();
            Type scalar = parameters[0].ParameterType.GetElementType()!;

            string[] hyper = parameters.Where(p => p.GetCustomAttribute<HyperAttribute>() is not null).Select(p => p.Name!).ToArray();
            Assert.Equal(hyper, descriptor.Hyperparameters.Select(h => h.Name));
            Assert.Equal(
                parameters.Where(p => p.GetCustomAttribute<HyperAttribute>() is not null).Select(p => p.GetCustomAttribute<PerElementAttribute>() is not null),
                descriptor.Hyperparameters.Select(h => h.PerElement));

            // The layout the descriptor promises: w, the state, g, the hyperparameters, the options.
            string[] expected = ["w", .. descriptor.State, "g", .. hyper, .. descriptor.Options];
            Assert.Equal(expected, parameters.Select(p => p.Name!));
            Assert.All(parameters.Take(1 + descriptor.State.Count), p => Assert.Equal(scalar.MakeByRefType(), p.ParameterType));
            Assert.Equal(scalar, parameters[1 + descriptor.State.Count].ParameterType);
            Assert.All(parameters.Where(p => hyper.Contains(p.Name)), p => Assert.Equal(scalar, p.ParameterType));
            Assert.All(parameters.Skip(expected.Length - descriptor.Options.Count), p =>
            {
                Assert.True(p.GetCustomAttribute<NoDiffAttribute>() is not null, $"{p.Name} is an option: [NoDiff]");
                Assert.Equal(p.Name == "t" ? scalar : typeof(bool), p.ParameterType);
            });
        }

        Assert.Equal(descriptor.Options.Contains("t"), descriptor.UsesStepCount);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Kernels_have_the_descriptor_names(string name)
    {
        OptimizerDescriptor descriptor = Optimizers.Find(name);

        HasTheDescriptorNames(descriptor, descriptor.DoubleKernel);
        HasTheDescriptorNames(descriptor, descriptor.SingleKernel);
        Assert.Same(descriptor.DoubleKernel, descriptor.Kernel<double>());
        Assert.Same(descriptor.SingleKernel, descriptor.Kernel<float>());
        Assert.Throws<NotSupportedException>(() => descriptor.Kernel<Half>());
    }

    private static void HasTheDescriptorNames<T>(OptimizerDescriptor descriptor, IStepKernel<T> kernel)
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
        OptimizerDescriptor descriptor = Optimizers.Find(name);
        Assert.All(descriptor.Hyperparameters, h => Assert.True(h.Domain.Contains(h.Default), $"{h.Name} = {h.Default} ∉ {h.Domain}"));
        Assert.Equal(descriptor.Hyperparameters.Select(h => h.Default), descriptor.Defaults());

        // Packed for n = 3 parameters: a per-element one's default in every element.
        double[] packed = descriptor.Defaults(3);
        Assert.Equal(StepKernelLayout.HyperparameterLength(descriptor.DoubleKernel, 3), packed.Length);
        for (int h = 0; h < descriptor.Hyperparameters.Count; h++)
        {
            int offset = StepKernelLayout.HyperparameterOffset(descriptor.DoubleKernel, h, 3);
            int size = StepKernelLayout.HyperparameterSize(descriptor.DoubleKernel, h, 3);
            Assert.All(packed.AsSpan(offset, size).ToArray(), value => Assert.Equal(descriptor.Hyperparameters[h].Default, value));
        }

        Assert.Equal(descriptor.Defaults(), descriptor.Defaults(1));
        Assert.Equal(HyperparameterDomain.Positive, descriptor.Hyperparameter("lr").Domain);
        Assert.Equal(HyperparameterDomain.NonNegative, descriptor.Hyperparameter("wd").Domain);
        Assert.Throws<ArgumentException>(() => descriptor.Hyperparameter("nonexistent"));
    }

    [Fact]
    public void Usual_defaults()
    {
        OptimizerDescriptor adam = Adam.Descriptor;
        Assert.Equal([1e-3, 0.9, 0.999, 1e-8, 0.0], adam.Defaults());
        Assert.Equal(["m", "v"], adam.State);
        Assert.True(adam.UsesStepCount);
        Assert.Equal([1e-3, 0.9, 0.999, 1e-8, 0.01], AdamW.Descriptor.Defaults());
        Assert.Equal([0.01, 0.99, 1e-8, 0.0], RmsProp.Descriptor.Defaults());
        Assert.Equal([0.01, 1e-10, 0.0], Adagrad.Descriptor.Defaults());
        Assert.Equal([1.0, 0.9, 1e-6, 0.0], Adadelta.Descriptor.Defaults());
        Assert.Equal([1e-4, 0.9, 0.99, 0.0], Lion.Descriptor.Defaults());
        Assert.Equal(0.9, Momentum.Descriptor.Hyperparameter("mu").Default);
        Assert.False(Momentum.Descriptor.UsesStepCount);

        // The per-parameter optimizers: the uniform ones' defaults, lr per-element and nothing else.
        foreach ((OptimizerDescriptor perParameter, OptimizerDescriptor uniform) in new[]
        {
            (SgdPerParameter.Descriptor, Sgd.Descriptor),
            (MomentumPerParameter.Descriptor, Momentum.Descriptor),
            (AdamPerParameter.Descriptor, Adam.Descriptor),
        })
        {
            Assert.Equal(uniform.Hyperparameters.Select(h => h with { PerElement = h.Name == "lr" }), perParameter.Hyperparameters);
            Assert.Equal(uniform.State, perParameter.State);
            Assert.Equal(uniform.Options, perParameter.Options);
            Assert.True(perParameter.HasPerElementHyperparameters);
            Assert.False(uniform.HasPerElementHyperparameters);
        }

        Assert.Equal([0.01, 0.01, 0.01, 0.0], SgdPerParameter.Descriptor.Defaults(3));
        Assert.Equal([0.0], SgdPerParameter.Descriptor.Defaults(0));
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
