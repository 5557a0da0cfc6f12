using System.Runtime.CompilerServices;

// The linear-algebra tests call the OpenBLAS binding directly, without switching Blas.Provider for the whole process;
// the engine tests call the engines' finite-value guard.
[assembly: InternalsVisibleTo("AutoHypergrad.Runtime.Tests")]
[assembly: InternalsVisibleTo("AutoHypergrad.Engines.Tests")]
