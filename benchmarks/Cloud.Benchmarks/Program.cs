using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Cloud.Benchmarks.AdmissionBenchmarks).Assembly).Run(args);
