#!/bin/bash
# fp32 (bundled) and int8 interleaved, two rounds, same command
cd "$(git rev-parse --show-toplevel)"
INT8=$PWD/training/runs/int8/sentiment-bilstm-int8.onnx   # python -m training.quantize --model src/main/resources/model/sentiment-bilstm.onnx --output training/runs/int8/sentiment-bilstm-int8.onnx
for round in 1 2; do
  for model in fp32 int8; do
    path=""; [ $model = int8 ] && path=$INT8
    java -jar target/benchmarks.jar 'InferenceBenchmark.oneCallerOneThread' -p batch=1,32 -p rowsPerCall=16 -p modelPath=$path \
      -wi 2 -w 2s -i 3 -r 2s -f 1 -rf json -rff benchmarks/results/2026-12-07-int8/$model-$round.json > benchmarks/results/2026-12-07-int8/$model-$round.log 2>&1
    echo "$model round $round rc=$?"
  done
done
