using System.Runtime.CompilerServices;

// The linear-algebra tests call the OpenBLAS binding directly, without switching Blas.Provider for the whole process.
[assembly: InternalsVisibleTo("AutoHypergrad.Runtime.Tests")]
