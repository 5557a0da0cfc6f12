        /// <summary>
        /// <c>Step</c> over whole double vectors, for the hypergradient engines: the state (w, v), the
        /// hyperparameters (lr[n], mu, wd[n]) and the options (t), packed as <see cref="global::AutoHypergrad.Steps.IVectorizedStep{T}"/>
        /// lays them out, passed to the span drivers.
        /// </summary>
        [global::System.CodeDom.Compiler.GeneratedCode("AutoHypergrad", "1.0")]
        public readonly struct StepVectorizedDouble : global::AutoHypergrad.Steps.IVectorizedStep<double>
        {
            private static readonly global::System.Collections.ObjectModel.ReadOnlyCollection<string> StateNameList = global::System.Array.AsReadOnly(new string[] { "w", "v" });
            private static readonly global::System.Collections.ObjectModel.ReadOnlyCollection<string> HyperparameterNameList = global::System.Array.AsReadOnly(new string[] { "lr", "mu", "wd" });
            private static readonly global::System.Collections.ObjectModel.ReadOnlyCollection<bool> PerElementList = global::System.Array.AsReadOnly(new bool[] { true, false, true });
            private static readonly global::System.Collections.ObjectModel.ReadOnlyCollection<string> OptionNameList = global::System.Array.AsReadOnly(new string[] { "t" });

            /// <inheritdoc/>
            public string Name => "PerWeight";

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
                    throw new global::System.ArgumentException($"state has length {state.Length}; PerWeight.Step needs 2 * n = {2L * n}: 2 state slots (w, v) of n = {n} elements, the length of gradient.", nameof(state));
                }
                if (hyperparameters.Length != 1 + 2L * n)
                {
                    throw new global::System.ArgumentException($"hyperparameters has length {hyperparameters.Length}; PerWeight.Step needs 1 + 2 * n = {1 + 2L * n}: lr[n], mu, wd[n].", nameof(hyperparameters));
                }
                global::Samples.PerWeight.Step(
                    state.Slice(0, n),
                    state.Slice(n, n),
                    gradient,
                    hyperparameters.Slice(0, n),
                    hyperparameters[n],
                    hyperparameters.Slice(1 + n, n),
                    (double)options.StepNumber);
            }

            /// <inheritdoc/>
            public void Tangents(global::System.Span<double> state, global::System.Span<double> stateTangents, global::System.ReadOnlySpan<double> gradient, global::System.ReadOnlySpan<double> gradientTangents, global::System.ReadOnlySpan<double> hyperparameters, global::System.ReadOnlySpan<double> hyperparameterTangents, global::AutoHypergrad.Steps.StepOptions options)
            {
                int n = gradient.Length;
                int k = n > 0 ? gradientTangents.Length / n : hyperparameterTangents.Length / 1;
                if (state.Length != 2L * n)
                {
                    throw new global::System.ArgumentException($"state has length {state.Length}; PerWeight.Step needs 2 * n = {2L * n}: 2 state slots (w, v) of n = {n} elements, the length of gradient.", nameof(state));
                }
                if (hyperparameters.Length != 1 + 2L * n)
                {
                    throw new global::System.ArgumentException($"hyperparameters has length {hyperparameters.Length}; PerWeight.Step needs 1 + 2 * n = {1 + 2L * n}: lr[n], mu, wd[n].", nameof(hyperparameters));
                }
                if (gradientTangents.Length != (long)k * n)
                {
                    throw new global::System.ArgumentException($"gradientTangents has length {gradientTangents.Length}; PerWeight.Step needs k * n = {(long)k * n}: k = {k} directions of n = {n} elements.", nameof(gradientTangents));
                }
                if (stateTangents.Length != 2L * k * n)
                {
                    throw new global::System.ArgumentException($"stateTangents has length {stateTangents.Length}; PerWeight.Step needs 2 * k * n = {2L * k * n}: 2 state slots of k = {k} directions of n = {n} elements.", nameof(stateTangents));
                }
                if (hyperparameterTangents.Length != 1L * k + 2L * k * n)
                {
                    throw new global::System.ArgumentException($"hyperparameterTangents has length {hyperparameterTangents.Length}; PerWeight.Step needs 1 * k + 2 * k * n = {1L * k + 2L * k * n}: k = {k} directions of each uniform hyperparameter and k * n of each per-element one (lr[n], mu, wd[n]).", nameof(hyperparameterTangents));
                }
                global::Samples.PerWeight.StepVectorModeTangent(
                    state.Slice(0, n),
                    stateTangents.Slice(0, k * n),
                    state.Slice(n, n),
                    stateTangents.Slice(k * n, k * n),
                    gradient,
                    gradientTangents,
                    hyperparameters.Slice(0, n),
                    hyperparameterTangents.Slice(0, k * n),
                    hyperparameters[n],
                    hyperparameterTangents.Slice(k * n, k),
                    hyperparameters.Slice(1 + n, n),
                    hyperparameterTangents.Slice(k + k * n, k * n),
                    (double)options.StepNumber);
            }

            /// <inheritdoc/>
            public void Adjoint(global::System.ReadOnlySpan<double> state, global::System.Span<double> stateAdjoint, global::System.ReadOnlySpan<double> gradient, global::System.Span<double> gradientAdjoint, global::System.ReadOnlySpan<double> hyperparameters, global::System.Span<double> hyperparameterAdjoints, global::AutoHypergrad.Steps.StepOptions options)
            {
                int n = gradient.Length;
                if (state.Length != 2L * n)
                {
                    throw new global::System.ArgumentException($"state has length {state.Length}; PerWeight.Step needs 2 * n = {2L * n}: 2 state slots (w, v) of n = {n} elements, the length of gradient.", nameof(state));
                }
                if (stateAdjoint.Length != 2L * n)
                {
                    throw new global::System.ArgumentException($"stateAdjoint has length {stateAdjoint.Length}; PerWeight.Step needs 2 * n = {2L * n}: 2 state slots (w, v) of n = {n} elements, the length of gradient.", nameof(stateAdjoint));
                }
                if (gradientAdjoint.Length != n)
                {
                    throw new global::System.ArgumentException($"gradientAdjoint has length {gradientAdjoint.Length}; PerWeight.Step needs n = {n}, the length of gradient.", nameof(gradientAdjoint));
                }
                if (hyperparameters.Length != 1 + 2L * n)
                {
                    throw new global::System.ArgumentException($"hyperparameters has length {hyperparameters.Length}; PerWeight.Step needs 1 + 2 * n = {1 + 2L * n}: lr[n], mu, wd[n].", nameof(hyperparameters));
                }
                if (hyperparameterAdjoints.Length != 1 + 2L * n)
                {
                    throw new global::System.ArgumentException($"hyperparameterAdjoints has length {hyperparameterAdjoints.Length}; PerWeight.Step needs 1 + 2 * n = {1 + 2L * n}, the layout of hyperparameters.", nameof(hyperparameterAdjoints));
                }
                double muBar = hyperparameterAdjoints[n];
                global::Samples.PerWeight.StepAdjoint(
                    state.Slice(0, n),
                    stateAdjoint.Slice(0, n),
                    state.Slice(n, n),
                    stateAdjoint.Slice(n, n),
                    gradient,
                    gradientAdjoint,
                    hyperparameters.Slice(0, n),
                    hyperparameterAdjoints.Slice(0, n),
                    hyperparameters[n],
                    ref muBar,
                    hyperparameters.Slice(1 + n, n),
                    hyperparameterAdjoints.Slice(1 + n, n),
                    (double)options.StepNumber);
                hyperparameterAdjoints[n] = muBar;
            }
        }

        /// <summary>
        /// <c>Step</c> as an optimizer for the hypergradient engines, with the value of each hyperparameter
        /// (lr, mu, wd): a number is fixed,
        /// <c>HyperparameterValue.Tune(start)</c> is tuned. Hyperparameters with a [Hyper] default may be left out.
        /// </summary>
        /// <exception cref="global::System.ArgumentException">A value is not finite or lies outside its declared domain.</exception>
        [global::System.CodeDom.Compiler.GeneratedCode("AutoHypergrad", "1.0")]
        public static global::AutoHypergrad.Steps.Optimizer StepOptimizer(global::AutoHypergrad.HyperparameterValue lr, global::AutoHypergrad.HyperparameterValue mu, global::AutoHypergrad.HyperparameterValue wd)
        {
            return new global::AutoHypergrad.Steps.Optimizer(
                "PerWeight",
                typeof(global::Samples.PerWeight),
                new StepVectorizedDouble(),
                new StepVectorizedSingle(),
                new global::AutoHypergrad.Steps.HyperparameterDescriptor[]
                {
                    new global::AutoHypergrad.Steps.HyperparameterDescriptor("lr", double.NaN, global::AutoHypergrad.HyperparameterDomain.Unconstrained, true),
                    new global::AutoHypergrad.Steps.HyperparameterDescriptor("mu", double.NaN, global::AutoHypergrad.HyperparameterDomain.Unconstrained, false),
                    new global::AutoHypergrad.Steps.HyperparameterDescriptor("wd", double.NaN, global::AutoHypergrad.HyperparameterDomain.Unconstrained, true),
                },
                new global::AutoHypergrad.HyperparameterValue[]
                {
                    global::AutoHypergrad.HyperparameterValue.Resolve(lr, double.NaN, "PerWeight.Step", "lr"),
                    global::AutoHypergrad.HyperparameterValue.Resolve(mu, double.NaN, "PerWeight.Step", "mu"),
                    global::AutoHypergrad.HyperparameterValue.Resolve(wd, double.NaN, "PerWeight.Step", "wd"),
                },
                new global::System.Collections.Generic.Dictionary<string, double>());
        }
    }
}
