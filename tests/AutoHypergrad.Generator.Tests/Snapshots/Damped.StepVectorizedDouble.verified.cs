        /// <summary>
        /// <c>Step</c> over whole double vectors, for the hypergradient engines: the state (w, v), the
        /// hyperparameters (lr, mu) and the options (t, nesterov, damping), packed as <see cref="global::AutoHypergrad.Steps.IVectorizedStep{T}"/>
        /// lays them out, passed to the span drivers.
        /// </summary>
        [global::System.CodeDom.Compiler.GeneratedCode("AutoHypergrad", "1.0")]
        public readonly struct StepVectorizedDouble : global::AutoHypergrad.Steps.IVectorizedStep<double>
        {
            private static readonly global::System.Collections.ObjectModel.ReadOnlyCollection<string> StateNameList = global::System.Array.AsReadOnly(new string[] { "w", "v" });
            private static readonly global::System.Collections.ObjectModel.ReadOnlyCollection<string> HyperparameterNameList = global::System.Array.AsReadOnly(new string[] { "lr", "mu" });
            private static readonly global::System.Collections.ObjectModel.ReadOnlyCollection<bool> PerElementList = global::System.Array.AsReadOnly(new bool[] { false, false });
            private static readonly global::System.Collections.ObjectModel.ReadOnlyCollection<string> OptionNameList = global::System.Array.AsReadOnly(new string[] { "t", "nesterov", "damping" });

            /// <inheritdoc/>
            public string Name => "Damped";

            /// <inheritdoc/>
            public global::System.Collections.Generic.IReadOnlyList<string> StateNames => StateNameList;

            /// <inheritdoc/>
            public global::System.Collections.Generic.IReadOnlyList<string> HyperparameterNames => HyperparameterNameList;

            /// <inheritdoc/>
            public global::System.Collections.Generic.IReadOnlyList<bool> PerElement => PerElementList;

            /// <inheritdoc/>
            public global::System.Collections.Generic.IReadOnlyList<string> OptionNames => OptionNameList;

            /// <inheritdoc/>
            public void Step(global::System.Span<double> state, global::System.ReadOnlySpan<double> gradient, global::System.ReadOnlySpan<double> hyperparameters, global::AutoHypergrad.Steps.StepOptions options)
            {
                int n = gradient.Length;
                if (state.Length != 2L * n)
                {
                    throw new global::System.ArgumentException($"state has length {state.Length}; Damped.Step needs 2 * n = {2L * n}: 2 state slots (w, v) of n = {n} elements, the length of gradient.", nameof(state));
                }
                if (hyperparameters.Length != 2)
                {
                    throw new global::System.ArgumentException($"hyperparameters has length {hyperparameters.Length}; Damped.Step needs 2: lr, mu.", nameof(hyperparameters));
                }
                global::Samples.Damped.Step(
                    state.Slice(0, n),
                    state.Slice(n, n),
                    gradient,
                    hyperparameters[0],
                    hyperparameters[1],
                    (double)options.StepNumber,
                    options.Flag("nesterov"),
                    (float)options.Value("damping"));
            }

            /// <inheritdoc/>
            public void Tangents(global::System.Span<double> state, global::System.Span<double> stateTangents, global::System.ReadOnlySpan<double> gradient, global::System.ReadOnlySpan<double> gradientTangents, global::System.ReadOnlySpan<double> hyperparameters, global::System.ReadOnlySpan<double> hyperparameterTangents, global::AutoHypergrad.Steps.StepOptions options)
            {
                int n = gradient.Length;
                int k = n > 0 ? gradientTangents.Length / n : hyperparameterTangents.Length / 2;
                if (state.Length != 2L * n)
                {
                    throw new global::System.ArgumentException($"state has length {state.Length}; Damped.Step needs 2 * n = {2L * n}: 2 state slots (w, v) of n = {n} elements, the length of gradient.", nameof(state));
                }
                if (hyperparameters.Length != 2)
                {
                    throw new global::System.ArgumentException($"hyperparameters has length {hyperparameters.Length}; Damped.Step needs 2: lr, mu.", nameof(hyperparameters));
                }
                if (gradientTangents.Length != (long)k * n)
                {
                    throw new global::System.ArgumentException($"gradientTangents has length {gradientTangents.Length}; Damped.Step needs k * n = {(long)k * n}: k = {k} directions of n = {n} elements.", nameof(gradientTangents));
                }
                if (stateTangents.Length != 2L * k * n)
                {
                    throw new global::System.ArgumentException($"stateTangents has length {stateTangents.Length}; Damped.Step needs 2 * k * n = {2L * k * n}: 2 state slots of k = {k} directions of n = {n} elements.", nameof(stateTangents));
                }
                if (hyperparameterTangents.Length != 2L * k)
                {
                    throw new global::System.ArgumentException($"hyperparameterTangents has length {hyperparameterTangents.Length}; Damped.Step needs 2 * k = {2L * k}: 2 hyperparameters of k = {k} directions.", nameof(hyperparameterTangents));
                }
                global::Samples.Damped.StepVectorModeTangent(
                    state.Slice(0, n),
                    stateTangents.Slice(0, k * n),
                    state.Slice(n, n),
                    stateTangents.Slice(k * n, k * n),
                    gradient,
                    gradientTangents,
                    hyperparameters[0],
                    hyperparameterTangents.Slice(0, k),
                    hyperparameters[1],
                    hyperparameterTangents.Slice(k, k),
                    (double)options.StepNumber,
                    options.Flag("nesterov"),
                    (float)options.Value("damping"));
            }

            /// <inheritdoc/>
            public void Adjoint(global::System.ReadOnlySpan<double> state, global::System.Span<double> stateAdjoint, global::System.ReadOnlySpan<double> gradient, global::System.Span<double> gradientAdjoint, global::System.ReadOnlySpan<double> hyperparameters, global::System.Span<double> hyperparameterAdjoints, global::AutoHypergrad.Steps.StepOptions options)
            {
                int n = gradient.Length;
                if (state.Length != 2L * n)
                {
                    throw new global::System.ArgumentException($"state has length {state.Length}; Damped.Step needs 2 * n = {2L * n}: 2 state slots (w, v) of n = {n} elements, the length of gradient.", nameof(state));
                }
                if (stateAdjoint.Length != 2L * n)
                {
                    throw new global::System.ArgumentException($"stateAdjoint has length {stateAdjoint.Length}; Damped.Step needs 2 * n = {2L * n}: 2 state slots (w, v) of n = {n} elements, the length of gradient.", nameof(stateAdjoint));
                }
                if (gradientAdjoint.Length != n)
                {
                    throw new global::System.ArgumentException($"gradientAdjoint has length {gradientAdjoint.Length}; Damped.Step needs n = {n}, the length of gradient.", nameof(gradientAdjoint));
                }
                if (hyperparameters.Length != 2)
                {
                    throw new global::System.ArgumentException($"hyperparameters has length {hyperparameters.Length}; Damped.Step needs 2: lr, mu.", nameof(hyperparameters));
                }
                if (hyperparameterAdjoints.Length != 2)
                {
                    throw new global::System.ArgumentException($"hyperparameterAdjoints has length {hyperparameterAdjoints.Length}; Damped.Step needs 2, one per hyperparameter.", nameof(hyperparameterAdjoints));
                }
                double lrBar = hyperparameterAdjoints[0];
                double muBar = hyperparameterAdjoints[1];
                global::Samples.Damped.StepAdjoint(
                    state.Slice(0, n),
                    stateAdjoint.Slice(0, n),
                    state.Slice(n, n),
                    stateAdjoint.Slice(n, n),
                    gradient,
                    gradientAdjoint,
                    hyperparameters[0],
                    ref lrBar,
                    hyperparameters[1],
                    ref muBar,
                    (double)options.StepNumber,
                    options.Flag("nesterov"),
                    (float)options.Value("damping"));
                hyperparameterAdjoints[0] = lrBar;
                hyperparameterAdjoints[1] = muBar;
            }
        }

        /// <summary>
        /// <c>Step</c> as an optimizer for the hypergradient engines, with the value of each hyperparameter
        /// (lr, mu): a number is fixed,
        /// <c>HyperparameterValue.Tune(start)</c> is tuned. Hyperparameters with a [Hyper] default may be left out.
        /// </summary>
        /// <exception cref="global::System.ArgumentException">A value is not finite or lies outside its declared domain.</exception>
        [global::System.CodeDom.Compiler.GeneratedCode("AutoHypergrad", "1.0")]
        public static global::AutoHypergrad.Steps.Optimizer StepOptimizer(global::AutoHypergrad.HyperparameterValue lr, global::AutoHypergrad.HyperparameterValue mu, bool nesterov = false, double damping = 0)
        {
            return new global::AutoHypergrad.Steps.Optimizer(
                "Damped",
                typeof(global::Samples.Damped),
                new StepVectorizedDouble(),
                new StepVectorizedSingle(),
                new global::AutoHypergrad.Steps.HyperparameterDescriptor[]
                {
                    new global::AutoHypergrad.Steps.HyperparameterDescriptor("lr", double.NaN, global::AutoHypergrad.HyperparameterDomain.Unconstrained, false),
                    new global::AutoHypergrad.Steps.HyperparameterDescriptor("mu", double.NaN, global::AutoHypergrad.HyperparameterDomain.Unconstrained, false),
                },
                new global::AutoHypergrad.HyperparameterValue[]
                {
                    global::AutoHypergrad.HyperparameterValue.Resolve(lr, double.NaN, "Damped.Step", "lr"),
                    global::AutoHypergrad.HyperparameterValue.Resolve(mu, double.NaN, "Damped.Step", "mu"),
                },
                new global::System.Collections.Generic.Dictionary<string, double>
                {
                    ["nesterov"] = nesterov ? 1.0 : 0.0,
                    ["damping"] = damping,
                });
        }
    }
}
