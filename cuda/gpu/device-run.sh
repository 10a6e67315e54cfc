#!/usr/bin/env bash
# One call on the GPU machine (see docs/gpu.md): run from the repository root with .gpu/ carried
# (jre.tgz, lib/barista.jar, configs/, hf_baseline.py). Steps, in the order given:
#   check      bindings and every kernel against CPU references, plus kernel timings
#   breakdown  each kernel of a batch-256 decode step (Llama-3.1-8B and Qwen3-0.6B shapes) timed alone
#   splits     256-sequence decode attention (context 576) of both shapes with 1-4 splits a sequence and kv head
#   gemmoffers  each algorithm cuBLASLt offers for the prefill projections of both shapes, beside cuBLAS
#   flashtime  the flash prefill kernel on a 16 x 512-token step of both shapes, 7 timings each (median)
#   models     the CUDA runner against engine/src/test/resources/models (reference.json), and tiny-llama
#              with Phi-3's fused projections and as Granite (cuda/gpu/check_models.py) against the same reference
#   pooling    LLM.encode on the GPU: the pooled state through the LM head against the reference, and
#              against the CPU runner's pooled state (single-file reference models)
#   cpu-vs-cuda  greedy tokens of the CPU runner and of the CUDA runner in f32 math, equal, on the
#              derived check models that have no reference (longrope, a window on one layer, a NoPE layer)
#   models-f32 the same in the f32 math mode (--dtype float32): log-softmax within 1e-4 / 1e-3
#   models-persist  the same with one-token steps through the persistent decode kernel (experimental)
#   models-persist-single  the same with steps of two one-token sequences kept off it
#   models-lt  the same with the GEMMs through cuBLASLt (-Dbarista.cuda.gemm=cublaslt)
#   sched[:DTYPE]  batched = alone, preemption and prefix caching through the engine (default float32)
#   decode:CFG[:BATCHES[:IN]]   DecodeBench on .gpu/configs/CFG (dummy bf16 weights), IN prompt tokens (512)
#   hf:CFG[:BATCHES]       shared/gpu/hf_baseline.py on the same config, 512 in / 128 out
#   throughput:CFG         barista bench throughput --device cuda, 1000 prompts, 512 in / 128 out
#   ncu-step:CFG  Nsight Compute device time of each kernel of batch-1 decode steps (CSV)
#   nsys:CFG[:BATCH]  Nsight Systems timeline of decode steps (kernel sums and the trace as CSV)
#   ncu        Nsight Compute sections of one prefill-shaped attention launch (paged kernel)
#   ncu-flash  the same for the flash prefill kernel
#   ncu-persist:CFG  the persistent decode kernel of a batch-1 step: stall reasons, issue and memory sections
#   ncu-src:CFG  the same kernel's per-instruction warp stall samples (SASS with source lines, CSV, gzipped)
#   ncu-decode one decode attention launch (B=256, context 640) of v1 and of v2
#   floor      .gpu/bin/exchange-floor (cuda/bench/exchange_floor.cu): what a cross-block exchange costs
#   clusters   .gpu/bin/cluster-stream (cuda/bench/cluster_stream.cu): how fast 1, 8, 16 or all
#              multiprocessors stream tiles out of L2 or HBM, copying or multiplying them
# A plain decode, throughput or sched step runs the defaults (flash prefill, paged attention v2, full
# device sampling, since 2026-11-23). Suffixes set switches, so one call can compare old and new:
#   -noflash  prefill through the paged kernel (-Dbarista.cuda.flashPrefill=false)
#   -v1       paged attention version 1 (-Dbarista.cuda.decodeAttention=v1)
#   -nomma    query groups of 3+ heads on version 2's CUDA-core kernel (-Dbarista.cuda.decodeAttentionMma=false)
#   -lt       GEMMs through cuBLASLt instead of cuBLAS (-Dbarista.cuda.gemm=cublaslt)
#   -basic    the previous device sampling kernel (-Dbarista.cuda.deviceSampling=basic)
#   -flashh1  flash prefill with one query head a block (-Dbarista.cuda.flashHeadsPerBlock=1; auto takes 2 where it can)
#   -nofused  small decode steps through cuBLAS and separate norm/SiLU kernels (-Dbarista.cuda.fusedDecode=false)
#   -nopdl    ordinary launches instead of programmatic dependent ones (-Dbarista.cuda.pdl=false)
#   -persist  one-token steps through the persistent decode kernel (-Dbarista.cuda.persistentDecode=true)
#   -nopersist  never through it (=false; the default, auto, takes it for layers of 16 MiB and more)
#   -trace    with -persist: the kernel's clock stamps per phase, summarised after the batch-1 run
#   -nogate   the persistent kernel streams small layers' weights freely (-Dbarista.cuda.persistentGatedStream=false)
#   -l2weights  with -persist: every layer reads layer 0's weights (from L2): the chain without HBM (timing only)
#   -single   steps of two one-token sequences kept off the persistent kernel (-Dbarista.cuda.persistentMultiToken=false)
#   -nomoegemv  small steps' expert projections through the tiles, not moe_gemv (-Dbarista.cuda.moeGemv=false)
#   -nomoemma   bf16 expert tiles on CUDA cores (moe_gemm), not tensor cores (moe_mma) (-Dbarista.cuda.moeMma=false)
#   -nN       (throughput) N prompts instead of 1000; -plpN: every request asks for N prompt logprobs
#   -seqsN, -tokensN  (throughput) --max-num-seqs N (256 unless given), --max-num-batched-tokens N (8192)
#   -lpN      (throughput) every request asks for its top N logprobs; -cpulp: computed by the CPU
#             path from copied logits rows (-Dbarista.cuda.deviceLogprobs=false), not by logprobs.cu
#   (the attention phase's own stamps need a kernel built with -DBARISTA_TRACE_ATTENTION, e.g. as a -kv variant)
#   -kvNAME   kernel images from .gpu/kv/NAME/dev/barista/cuda/kernels/ before the jar's (variants built with -D flags
#             by cuda/gpu/kernel-variant.sh NAME FLAGS...)
#   -jarNAME  the classes of .gpu/jars/NAME/barista.jar ahead of .gpu/lib's (those of an earlier build, e.g. its
#             dev/barista/cuda/, for an A/B of host changes; give it its kernels with -kvNAME)
#   -gemvN    N blocks per multiprocessor for the fused GEMV kernels (-Dbarista.cuda.gemvBlocksPerSm=N)
#   -blocksN  the persistent decode kernel on N blocks, fewer than the multiprocessors (-Dbarista.cuda.persistentBlocks=N)
#   -warmN    (decode) N untimed decode steps before the timed ones (-Dbarista.bench.warmup=N)
#   -flash, -v2  the defaults, spelled out (as in the logs of calls made before they were defaults)
# e.g. throughput-noflash-v1:CFG is the path of before 2026-11-23; logs are named after the step
# (throughput-noflash-v1-CFG.log).
# Logs go to $OUT; a short table is printed last.
set -uo pipefail
OUT=${OUT:-/tmp/barista-out}
mkdir -p "$OUT"
# the runtime travels as xz (half the size of gzip; the transfer limit is 64 MiB); python's
# tarfile unpacks it where the xz tool is missing
if [ ! -x /tmp/jre/bin/java ]; then
  if [ -f .gpu/jre.txz ]; then
    tar xJf .gpu/jre.txz -C /tmp 2>/dev/null || python3 -c "import tarfile; tarfile.open('.gpu/jre.txz').extractall('/tmp')"
  else
    tar xzf .gpu/jre.tgz -C /tmp
  fi
fi
JAVA_BASE=(/tmp/jre/bin/java --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector -Xss8m -XX:+UseParallelGC -cp cuda/src/main/resources:.gpu/lib/barista.jar)
# check models derived from tiny-llama (cuda/gpu/check_models.py): Phi-3's fused projections, and
# longrope (scheduler checks only: it has no reference)
PHI3=/tmp/barista-models/tiny-phi3-fused
GRANITE=/tmp/barista-models/tiny-granite
LONGROPE=/tmp/barista-models/tiny-llama-longrope
WINDOW2=/tmp/barista-models/tiny-qwen2-window
NOPE=/tmp/barista-models/tiny-smollm3-nope
[ -f "$PHI3/model.safetensors" ] || python3 cuda/gpu/check_models.py engine/src/test/resources/models/tiny-llama /tmp/barista-models
summary="$OUT/summary.txt"
: > "$summary"
nvidia-smi --query-gpu=name,driver_version,memory.used,memory.total,clocks.sm,clocks.mem --format=csv,noheader | tee -a "$summary"
# each step within STEP_TIMEOUT seconds (a hung kernel costs one step, not the call)
run() { local log="$OUT/$1.log"; shift; timeout "${STEP_TIMEOUT:-240}" "$@" 2>&1 | grep -v "incubator modules" | tee -a "$log"; }
for step in "$@"; do
  IFS=: read -r kind cfg batches inlen <<< "$step"
  JAVA=("${JAVA_BASE[@]}")
  sfx=""
  extra=()
  prompts=1000
  max_seqs=256
  max_tokens=8192
  if [[ "$kind" == decode-* || "$kind" == throughput-* || "$kind" == sched-* || "$kind" == breakdown-* || "$kind" == flashtime-* ]]; then
    sfx="-${kind#*-}"
    kind=${kind%%-*}
    props=()
    kernels=""
    jar=""
    for sw in ${sfx//-/ }; do
      case "$sw" in
        flash) props+=(-Dbarista.cuda.flashPrefill=true) ;;
        noflash) props+=(-Dbarista.cuda.flashPrefill=false) ;;
        v2) props+=(-Dbarista.cuda.decodeAttention=v2) ;;
        v1) props+=(-Dbarista.cuda.decodeAttention=v1) ;;
        nomma) props+=(-Dbarista.cuda.decodeAttentionMma=false) ;;
        lt) props+=(-Dbarista.cuda.gemm=cublaslt) ;;
        basic) props+=(-Dbarista.cuda.deviceSampling=basic) ;;
        nofused) props+=(-Dbarista.cuda.fusedDecode=false) ;;
        flashh[12]) props+=(-Dbarista.cuda.flashHeadsPerBlock=${sw#flashh}) ;;
        nopdl) props+=(-Dbarista.cuda.pdl=false) ;;
        persist) props+=(-Dbarista.cuda.persistentDecode=true) ;;
        nopersist) props+=(-Dbarista.cuda.persistentDecode=false) ;;
        trace) props+=(-Dbarista.cuda.persistentTrace=true) ;;
        nogate) props+=(-Dbarista.cuda.persistentGatedStream=false) ;;
        l2weights) props+=(-Dbarista.cuda.persistentOneLayerWeights=true) ;;
        single) props+=(-Dbarista.cuda.persistentMultiToken=false) ;;
        nomoegemv) props+=(-Dbarista.cuda.moeGemv=false) ;;
        nomoemma) props+=(-Dbarista.cuda.moeMma=false) ;;
        gemv[1-8]) props+=(-Dbarista.cuda.gemvBlocksPerSm=${sw#gemv}) ;;
        blocks[0-9]*) props+=(-Dbarista.cuda.persistentBlocks=${sw#blocks}) ;;
        warm[0-9]*) props+=(-Dbarista.bench.warmup=${sw#warm}) ;;
        lp[0-9]*) extra+=(--logprobs "${sw#lp}") ;;
        plp[0-9]*) extra+=(--prompt-logprobs "${sw#plp}") ;;
        n[0-9]*) prompts=${sw#n} ;;
        seqs[0-9]*) max_seqs=${sw#seqs} ;;
        tokens[0-9]*) max_tokens=${sw#tokens} ;;
        cpulp) props+=(-Dbarista.cuda.deviceLogprobs=false) ;;
        kv*) kernels=".gpu/kv/${sw#kv}" ;;
        jar*) jar=".gpu/jars/${sw#jar}/barista.jar" ;;
        *) echo "unknown switch $sw in $step" | tee -a "$summary"; continue 2 ;;
      esac
    done
    JAVA=("${JAVA_BASE[@]:0:1}" "${props[@]}" "${JAVA_BASE[@]:1}")
    # kernel images from .gpu/kv/NAME first (class-path order), for variants of one build
    if [ -n "$kernels" ]; then JAVA=("${JAVA[@]/#cuda\/src\/main\/resources:/$kernels:cuda/src/main/resources:}"); fi
    if [ -n "$jar" ]; then JAVA=("${JAVA[@]/%.gpu\/lib\/barista.jar/$jar:.gpu/lib/barista.jar}"); fi
  fi
  case "$kind" in
    breakdown) run "breakdown$sfx" "${JAVA[@]}" dev.barista.cuda.check.GpuCheck --decode-step ;;
    splits) run splits "${JAVA[@]}" dev.barista.cuda.check.GpuCheck --decode-attention-splits
      grep -E "splits=" "$OUT/splits.log" >> "$summary" ;;
    gemmoffers) run gemmoffers "${JAVA[@]}" dev.barista.cuda.check.GpuCheck --gemm-offers
      grep -E "gemm offers" "$OUT/gemmoffers.log" >> "$summary" ;;
    flashtime) run "flashtime$sfx" "${JAVA[@]}" dev.barista.cuda.check.GpuCheck --flash-prefill-timing
      grep -E "median" "$OUT/flashtime$sfx.log" | sed "s/^/flashtime$sfx: /" >> "$summary" ;;
    check) run check "${JAVA[@]}" dev.barista.cuda.check.GpuCheck
      grep -E " OK | FAIL |passed|GB/s|us each|prefill|sample_rows|row_logprobs|gemm cublas vs" "$OUT/check.log" >> "$summary" ;;
    models) run models "${JAVA[@]}" dev.barista.cuda.check.ModelCheck engine/src/test/resources/models/tiny-* "$PHI3" "$GRANITE"
      grep -E " OK | FAIL |model checks|graphs" "$OUT/models.log" >> "$summary" ;;
    pooling) run pooling "${JAVA[@]}" dev.barista.cuda.check.PoolingCheck engine/src/test/resources/models/tiny-llama \
        engine/src/test/resources/models/tiny-llama31 engine/src/test/resources/models/tiny-qwen2 /tmp/barista-models/tiny-llama-classifier
      grep -E " OK | FAIL |pooling checks" "$OUT/pooling.log" >> "$summary" ;;
    cpu-vs-cuda) for m in "$LONGROPE" "$WINDOW2" "$NOPE"; do
        args=(dev.barista.cli.Main generate --model "$m" --prompt-ids "$(seq -s, 1 40)" --max-tokens 24 --temperature 0)
        cpu=$(run cpu-vs-cuda "${JAVA[@]}" "${args[@]}" --device cpu | tail -1)
        gpu=$(run cpu-vs-cuda "${JAVA[@]}" "${args[@]}" --device cuda --dtype float32 | tail -1)
        [ -n "$cpu" ] && [ "$cpu" == "$gpu" ] && v=OK || v=FAIL
        echo "cpu-vs-cuda $(basename "$m") $v   cpu [$cpu] cuda [$gpu]" | tee -a "$summary"
      done ;;
    models-f32) run models-f32 "${JAVA[@]}" dev.barista.cuda.check.ModelCheck --f32 engine/src/test/resources/models/tiny-* "$PHI3" "$GRANITE"
      grep -E " OK | FAIL |model checks" "$OUT/models-f32.log" | sed "s/^/f32: /" >> "$summary" ;;
    models-persist) run models-persist "${JAVA[@]}" dev.barista.cuda.check.ModelCheck --persistent engine/src/test/resources/models/tiny-* "$PHI3" "$GRANITE"
      grep -E " OK | FAIL |model checks|skipped" "$OUT/models-persist.log" | sed "s/^/persistent: /" >> "$summary" ;;
    models-persist-single) JAVA=("${JAVA[@]:0:1}" -Dbarista.cuda.persistentMultiToken=false "${JAVA[@]:1}")
      run models-persist-single "${JAVA[@]}" dev.barista.cuda.check.ModelCheck --persistent engine/src/test/resources/models/tiny-* "$PHI3" "$GRANITE"
      grep -E " OK | FAIL |model checks|skipped" "$OUT/models-persist-single.log" | sed "s/^/persistent single: /" >> "$summary" ;;
    models-lt) run models-lt "${JAVA[0]}" -Dbarista.cuda.gemm=cublaslt "${JAVA[@]:1}" dev.barista.cuda.check.ModelCheck engine/src/test/resources/models/tiny-* "$PHI3" "$GRANITE"
      grep -E " OK | FAIL |model checks" "$OUT/models-lt.log" | sed "s/^/lt: /" >> "$summary" ;;
    sched) # the scheduler's equivalences through the engine with --device cuda; cfg = dtype
      run "sched$sfx-${cfg:-float32}" "${JAVA[@]}" dev.barista.cuda.check.SchedulerCheck --dtype "${cfg:-float32}" engine/src/test/resources/models/tiny-* "$PHI3" "$GRANITE" "$LONGROPE" "$WINDOW2" "$NOPE"
      grep -E " OK | FAIL |scheduler checks" "$OUT/sched$sfx-${cfg:-float32}.log" | sed "s/^/sched$sfx: /" >> "$summary" ;;
    decode) run "decode$sfx-$cfg${inlen:+-in$inlen}" "${JAVA[@]}" dev.barista.cuda.check.DecodeBench ".gpu/configs/$cfg" "${batches:-1,64}" "${inlen:-512}" 128
      grep -E "RESULT|roofline|weights|prefill|timed one-token|replay|persistent trace|^ +[a-zA-Z/ ():0-9+,-]+ mean|slowest blocks|per layer" "$OUT/decode$sfx-$cfg${inlen:+-in$inlen}.log" | sed "s/^/decode$sfx $cfg: /" >> "$summary" ;;
    # the script's model is built on the GPU (torch's default device): a 14B model's random init on
    # the CPU outlasted the step timeout (session 15); generate() is timed as before
    # models without an SDPA path in transformers (GPT-OSS) fall back to its eager attention, said in the log
    hf) PYTHONUNBUFFERED=1 run "hf-$cfg" python3 -c '
import sys, torch, transformers
torch.set_default_device("cuda")
from_config = transformers.AutoModelForCausalLM.from_config
def eager_where_needed(cfg, **kw):
    try:
        return from_config(cfg, **kw)
    except ValueError as e:
        if "scaled_dot_product_attention" not in str(e): raise
        print("no SDPA attention for this model in transformers: eager attention", flush=True)
        return from_config(cfg, **{**kw, "attn_implementation": "eager"})
transformers.AutoModelForCausalLM.from_config = eager_where_needed
sys.argv = sys.argv[1:]; exec(open(sys.argv[0]).read())' \
        .gpu/hf_baseline.py ".gpu/configs/$cfg" --batch "${batches:-1,64}" --input-len 512 --output-len 128
      sed "s/^/hf $cfg: /" "$OUT/hf-$cfg.log" | grep measure >> "$summary" ;;
    throughput) run "throughput$sfx-$cfg" "${JAVA[@]}" dev.barista.cli.Main bench throughput --model ".gpu/configs/$cfg" \
        --load-format dummy --device cuda --num-prompts "$prompts" --input-len 512 --output-len 128 \
        --max-num-batched-tokens "$max_tokens" --max-num-seqs "$max_seqs" --max-model-len 2048 "${extra[@]}"
      tail -5 "$OUT/throughput$sfx-$cfg.log" | sed "s/^/throughput$sfx $cfg: /" >> "$summary" ;;
    ncu) # one prefill-shaped attention launch under Nsight Compute
      NCU=$(command -v ncu || ls /opt/nvidia/nsight-compute/*/ncu /usr/local/cuda/bin/ncu 2>/dev/null | head -1)
      run ncu "$NCU" --section SpeedOfLight --section Occupancy --section WarpStateStats \
          --section MemoryWorkloadAnalysis -k regex:paged_attention -c 1 \
          "${JAVA[@]}" dev.barista.cuda.check.GpuCheck --prefill-attention-once
      grep -E "Duration|Throughput|Achieved Occupancy|Stall|Warp Cycles|Registers|Theoretical Occ" "$OUT/ncu.log" | head -40 >> "$summary" ;;
    ncu-flash) # one flash prefill launch (16 x 512 tokens) under Nsight Compute
      NCU=$(command -v ncu || ls /opt/nvidia/nsight-compute/*/ncu /usr/local/cuda/bin/ncu 2>/dev/null | head -1)
      run ncu-flash "$NCU" --section SpeedOfLight --section Occupancy --section WarpStateStats \
          --section MemoryWorkloadAnalysis -k regex:flash_prefill -c 1 \
          "${JAVA[@]}" dev.barista.cuda.check.GpuCheck --flash-prefill-once
      grep -E "Duration|Throughput|Achieved Occupancy|Stall|Warp Cycles|Registers|Theoretical Occ" "$OUT/ncu-flash.log" | head -40 | sed "s/^/ncu-flash: /" >> "$summary" ;;
    ncu-decode) # one B=256 decode attention launch of each version under Nsight Compute
      NCU=$(command -v ncu || ls /opt/nvidia/nsight-compute/*/ncu /usr/local/cuda/bin/ncu 2>/dev/null | head -1)
      for kr in paged_attention decode_attention; do
        run ncu-decode "$NCU" --section SpeedOfLight --section Occupancy --section WarpStateStats \
            --section MemoryWorkloadAnalysis -k regex:$kr -c 1 \
            "${JAVA[@]}" dev.barista.cuda.check.GpuCheck --decode-attention-once
      done
      grep -E "Duration|Throughput|Achieved Occupancy|Stall|Warp Cycles|Registers|Theoretical Occ|attention" "$OUT/ncu-decode.log" | head -60 | sed "s/^/ncu-decode: /" >> "$summary" ;;
    ncu-step) # the device time of every kernel of batch-1 decode steps (DecodeBench, 3 tokens) under Nsight Compute,
      # at the GPU's own clocks (--clock-control none: Nsight Compute otherwise locks them to base, and the times grow)
      NCU=$(command -v ncu || ls /opt/nvidia/nsight-compute/*/ncu /usr/local/cuda/bin/ncu 2>/dev/null | head -1)
      run "ncu-step-$cfg" "$NCU" --clock-control none --metrics gpu__time_duration.sum --csv --print-summary none --launch-count 1400 \
          --log-file "$OUT/ncu-step-$cfg.csv" "${JAVA[@]:0:1}" -Dbarista.bench.warmup=1 "${JAVA[@]:1}" \
          dev.barista.cuda.check.DecodeBench ".gpu/configs/$cfg" 1 512 3
      wc -l "$OUT/ncu-step-$cfg.csv" | sed "s/^/ncu-step $cfg: /" >> "$summary" ;;
    ncu-persist) # the persistent decode kernel of one batch-1 step under Nsight Compute: stall reasons, memory, issue
      NCU=$(command -v ncu || ls /opt/nvidia/nsight-compute/*/ncu /usr/local/cuda/bin/ncu 2>/dev/null | head -1)
      run "ncu-persist-$cfg" "$NCU" --section SpeedOfLight --section WarpStateStats --section SchedulerStats \
          --section MemoryWorkloadAnalysis --section InstructionStats --section LaunchStats --section Occupancy \
          --section SourceCounters -k regex:decode_layers -s 3 -c 1 "${JAVA[@]:0:1}" -Dbarista.bench.warmup=1 -Dbarista.cuda.persistentDecode=true \
          "${JAVA[@]:1}" dev.barista.cuda.check.DecodeBench ".gpu/configs/$cfg" 1 512 3
      grep -iE "Duration|Throughput|Stall|Issue|Warp Cycles|Active Warps|Eligible|Executed Ipc|Branch|Shared" "$OUT/ncu-persist-$cfg.log" | head -80 \
          | sed "s/^/ncu-persist $cfg: /" >> "$summary" ;;
    ncu-src) # per-instruction warp stall samples of the persistent kernel (one batch-1 step): where the warps wait
      NCU=$(command -v ncu || ls /opt/nvidia/nsight-compute/*/ncu /usr/local/cuda/bin/ncu 2>/dev/null | head -1)
      rep="$OUT/ncu-src-$cfg"
      # a -lineinfo build of the kernel, where prepare.sh made one (same code, plus line tables)
      if [ -d .gpu/kv/lineinfo ]; then JAVA=("${JAVA[@]/#cuda\/src\/main\/resources:/.gpu/kv/lineinfo:cuda/src/main/resources:}"); fi
      run "ncu-src-$cfg" "$NCU" --section WarpStateStats --section SourceCounters --section InstructionStats \
          --import-source yes -k regex:decode_layers -s 3 -c 1 -o "$rep" -f "${JAVA[@]:0:1}" -Dbarista.bench.warmup=1 \
          -Dbarista.cuda.persistentDecode=true "${JAVA[@]:1}" dev.barista.cuda.check.DecodeBench ".gpu/configs/$cfg" 1 512 3
      "$NCU" -i "$rep.ncu-rep" --page details --print-details all > "$rep-details.txt" 2>&1
      "$NCU" -i "$rep.ncu-rep" --page raw --csv > "$rep-raw.csv" 2>&1
      "$NCU" -i "$rep.ncu-rep" --page source --csv --print-source sass > "$rep-sass.csv" 2>&1
      "$NCU" -i "$rep.ncu-rep" --page source --csv --print-source cuda,sass > "$rep-source.csv" 2>&1
      gzip -f "$rep-sass.csv" "$rep-source.csv" "$rep-raw.csv"; rm -f "$rep.ncu-rep"
      grep -iE "stall|Warp Cycles|Issued" "$rep-details.txt" | head -60 | sed "s/^/ncu-src $cfg: /" >> "$summary" ;;
    nsys) # a timeline of batch-CFG decode steps (DecodeBench, 32 tokens) under Nsight Systems, graph nodes traced
      NSYS=$(command -v nsys || ls /opt/nvidia/nsight-systems/*/bin/nsys /usr/local/cuda/bin/nsys 2>/dev/null | head -1)
      if [ -z "$NSYS" ]; then echo "nsys: not found" | tee -a "$summary"; continue; fi
      run "nsys-$cfg" "$NSYS" profile --cuda-graph-trace=node --trace=cuda -o "$OUT/nsys-$cfg" --force-overwrite true \
          "${JAVA[@]}" dev.barista.cuda.check.DecodeBench ".gpu/configs/$cfg" "${batches:-1}" 512 32
      "$NSYS" stats --report cuda_gpu_kern_sum --format csv --output "$OUT/nsys-$cfg-kernels" "$OUT/nsys-$cfg.nsys-rep" > /dev/null 2>&1
      "$NSYS" stats --report cuda_gpu_trace --format csv --output "$OUT/nsys-$cfg-trace" "$OUT/nsys-$cfg.nsys-rep" > /dev/null 2>&1
      rm -f "$OUT/nsys-$cfg.nsys-rep" "$OUT/nsys-$cfg.sqlite"
      head -25 "$OUT/nsys-$cfg-kernels"*.csv | cut -c1-220 | sed "s/^/nsys $cfg: /" >> "$summary" ;;
    floor) run floor .gpu/bin/exchange-floor ${cfg:-20000}
      grep RESULT "$OUT/floor.log" | sed "s/^/floor: /" >> "$summary" ;;
    clusters) run clusters .gpu/bin/cluster-stream
      grep RESULT "$OUT/clusters.log" | sed "s/^/clusters: /" >> "$summary" ;;
    *) echo "unknown step $step" | tee -a "$summary" ;;
  esac
done
echo "======== summary"
cat "$summary"
