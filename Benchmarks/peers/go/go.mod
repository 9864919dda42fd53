module zipindex/benchmarks/peers/go

go 1.19
