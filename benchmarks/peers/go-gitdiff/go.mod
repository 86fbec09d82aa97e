module kernelpatch.benchmarks/peers/gogitdiff

go 1.19

require github.com/bluekeyes/go-gitdiff v0.8.1
