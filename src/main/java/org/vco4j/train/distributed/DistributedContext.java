package org.vco4j.train.distributed;

import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.javacpp.chrono.Milliseconds;
import org.bytedeco.pytorch.AllreduceOptions;
import org.bytedeco.pytorch.Backend;
import org.bytedeco.pytorch.BroadcastOptions;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.GlooDeviceVector;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.ProcessGroupGloo;
import org.bytedeco.pytorch.ReduceOp;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Store;
import org.bytedeco.pytorch.StringVector;
import org.bytedeco.pytorch.TCPStore;
import org.bytedeco.pytorch.TCPStoreOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.Work;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.vco4j.tensor.Tensors;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * This process's place in a data-parallel run and the collectives between the ranks, on libtorch's own c10d:
 * a {@code TCPStore} rendezvous (rank 0 serves it at {@code MASTER_ADDR:MASTER_PORT}) and a Gloo process
 * group for CPU tensors, or NCCL for CUDA tensors in the gpu build.
 *
 * <p>A single-process context (world size 1) has no store and no process group; its collectives change
 * nothing, so the trainer runs the same code either way.
 *
 * <p>Data parallelism with it: every rank holds the same weights ({@link #broadcast} them from rank 0 once),
 * scores its own shard of the global batch ({@link BatchSharding}), backpropagates the <em>mean</em> loss of
 * its shard, calls {@link #allReduceGradients} and steps its optimizer; with equal shards the averaged
 * gradient is the gradient of the mean loss over the whole global batch, so every rank takes the same step.
 *
 * <p>Every collective checks first that all ranks passed tensors of the same count, shapes and types (one
 * small extra collective): Gloo would otherwise reduce mismatched buffers silently or hang. Collectives are
 * blocking and must be called from one thread, in the same order on every rank.
 *
 * <p>Owns native memory: the rendezvous store (on rank 0 also its TCP server) and the process group;
 * {@link #close()} releases them. Nothing it creates is tied to the caller's pointer scope.
 */
public final class DistributedContext implements AutoCloseable {
    /** Elements per flattened buffer: bounds the extra memory of one reduction (128 MB of float32). */
    static final long BUCKET_ELEMENTS = 1L << 25;
    private static final String JOINED_KEY = "vco4j/rendezvous/joined";
    private static final String ALL_JOINED_KEY = "vco4j/rendezvous/all-joined";

    private final DistributedEnvironment environment;
    private final CollectiveBackend backendKind;
    private final Device collectiveDevice;
    private final Duration collectiveTimeout;
    private TCPStore store;
    private Store groupStore;
    private Backend backend;
    private boolean closed;

    private DistributedContext(DistributedEnvironment environment, CollectiveBackend backendKind, Device collectiveDevice,
                               Duration collectiveTimeout, TCPStore store, Store groupStore, Backend backend) {
        this.environment = environment;
        this.backendKind = backendKind;
        this.collectiveDevice = collectiveDevice;
        this.collectiveTimeout = collectiveTimeout;
        this.store = store;
        this.groupStore = groupStore;
        this.backend = backend;
    }

    /** A context for one process: rank 0 of 1, collectives do nothing. */
    public static DistributedContext single() {
        return new DistributedContext(DistributedEnvironment.single(), null, null, null, null, null, null);
    }

    /** Joins the run described by the torchrun variables, on the CPU with Gloo and the default timeouts. */
    public static DistributedContext fromEnvironment() {
        return fromEnvironment(new Device(torch.DeviceType.CPU), DistributedOptions.defaults());
    }

    /** Joins the run described by the torchrun variables, for tensors on {@code device}. */
    public static DistributedContext fromEnvironment(Device device, DistributedOptions options) {
        return create(DistributedEnvironment.fromSystem(), device, options);
    }

    /**
     * Joins the run described by {@code environment}: meets every rank at the rendezvous (waiting at most the
     * rendezvous timeout), then connects the process group. A world of one gives {@link #single()}.
     *
     * @throws IllegalArgumentException the backend cannot work for {@code device} (e.g. nccl without the gpu build)
     * @throws DistributedException     the rendezvous or the process group could not be set up
     */
    public static DistributedContext create(DistributedEnvironment environment, Device device, DistributedOptions options) {
        if (!environment.isDistributed()) return single();
        CollectiveBackend kind = options.backend().resolve(device);
        TCPStore store = null;
        Store groupStore = null;
        Backend backend = null;
        // Temporaries die with this scope; what the context keeps is retained so that neither this scope nor
        // one the caller has open can free it.
        try (PointerScope scope = new PointerScope()) {
            store = retained(connect(environment, options.rendezvousTimeout()));
            awaitAllRanks(store, environment, options.rendezvousTimeout());
            // A TCPStore made from Java is a plain C++ object, but a process group keeps an intrusive_ptr to its
            // store and deletes it when the group goes: hand it a clone (a refcounted client of the same server).
            groupStore = retained(store.clone());
            backend = retained(processGroup(kind, groupStore, environment, options.collectiveTimeout()));
            // Our own device object: the caller's may be freed by the caller's scope.
            Device bookkeeping = retained(kind == CollectiveBackend.NCCL ? new Device(device.type(), device.index())
                    : new Device(torch.DeviceType.CPU));
            return new DistributedContext(environment, kind, bookkeeping, options.collectiveTimeout(), store, groupStore, backend);
        } catch (RuntimeException e) {
            release(backend);
            release(groupStore);
            release(store);
            throw e;
        }
    }

    private static Backend processGroup(CollectiveBackend kind, Store groupStore, DistributedEnvironment env, Duration timeout) {
        try {
            return kind == CollectiveBackend.NCCL ? NcclBackends.create(groupStore, env.rank(), env.worldSize(), timeout)
                    : gloo(groupStore, env, timeout);
        } catch (RuntimeException e) {
            throw new DistributedException(where(env) + " could not connect the " + kind.cliName() + " process group (rendezvous at "
                    + env.masterEndpoint() + "; did another rank fail?): " + DistributedException.firstLine(e), e);
        }
    }

    public int rank() {
        return environment.rank();
    }

    public int worldSize() {
        return environment.worldSize();
    }

    /** This process's rank on its machine: the CUDA device index to use. */
    public int localRank() {
        return environment.localRank();
    }

    /** True on rank 0, the rank that writes reports, checkpoints and logs. */
    public boolean isMain() {
        return environment.rank() == 0;
    }

    /** True when more than one process takes part. */
    public boolean isDistributed() {
        return backend != null;
    }

    /** {@code gloo}, {@code nccl}, or {@code none} for a single process. */
    public String backendName() {
        return backendKind == null ? "none" : backendKind.cliName();
    }

    public DistributedEnvironment environment() {
        return environment;
    }

    /**
     * Averages {@code tensors} over the ranks, in place: sums them and divides by the world size. The
     * tensors are copied into one flat buffer per dtype and device (bounded by {@link #BUCKET_ELEMENTS}), so a
     * whole model's gradients cost one reduction, and the results are copied back.
     *
     * @throws IllegalArgumentException a tensor is undefined or not floating point
     * @throws DistributedException      the ranks passed different tensors, or a peer failed or timed out
     */
    public void allReduceMean(Collection<Tensor> tensors) {
        List<Tensor> list = checked(tensors, "allReduceMean", true);
        if (backend == null) return;
        reduce(list, true, "allReduceMean", true);
    }

    /** Sums {@code tensor} over the ranks, in place, and returns it. */
    public Tensor allReduceSum(Tensor tensor) {
        List<Tensor> list = checked(List.of(tensor), "allReduceSum", false);
        if (backend != null) reduce(list, false, "allReduceSum", true);
        return tensor;
    }

    /**
     * Averages the gradients of {@code parameters} over the ranks, in place: what the trainer calls after the
     * backward pass. A parameter that took part in some rank's loss but not in this rank's (the vision tower
     * for a text-only shard) has no gradient here; it gets a zero gradient first, so every rank reduces the
     * same tensors. A parameter that took part on no rank keeps no gradient, as in one process. Parameters
     * that do not require gradients are skipped.
     */
    public void allReduceGradients(Collection<Tensor> parameters) {
        List<Tensor> trainable = new ArrayList<>();
        for (Tensor p : checked(parameters, "allReduceGradients", false)) if (p.requires_grad()) trainable.add(p);
        if (backend == null || trainable.isEmpty()) return;
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            checkSameLayout(trainable, "allReduceGradients");
            long[] used = new long[trainable.size()];
            for (int i = 0; i < used.length; i++) used[i] = trainable.get(i).grad().defined() ? 1 : 0;
            Tensor anywhere = Tensors.upload(Tensors.longs(used), collectiveDevice, ScalarType.Long);
            await(backend.allreduce(new TensorVector(anywhere), reduceOptions(ReduceOp.RedOpType.MAX)), "allReduceGradients");
            long[] usedAnywhere = Tensors.toLongArray(anywhere);
            List<Tensor> gradients = new ArrayList<>();
            for (int i = 0; i < used.length; i++) {
                if (usedAnywhere[i] == 0) continue;
                Tensor p = trainable.get(i);
                if (used[i] == 0) p.mutable_grad().put(torch.zeros_like(p));
                gradients.add(p.grad());
            }
            if (!gradients.isEmpty()) reduce(gradients, true, "allReduceGradients", false);
        }
    }

    /**
     * Copies {@code tensors} from rank {@code root} to every other rank, in place: the initial weights, so
     * that every rank starts from the same model. Parameters that require gradients may be passed.
     */
    public void broadcast(Collection<Tensor> tensors, int root) {
        if (root < 0 || root >= worldSize()) {
            throw new IllegalArgumentException("broadcast root " + root + " is outside 0.." + (worldSize() - 1));
        }
        List<Tensor> list = checked(tensors, "broadcast", false);
        if (backend == null || list.isEmpty()) return;
        checkOpen();
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            checkSameLayout(list, "broadcast");
            for (List<Tensor> bucket : buckets(list)) {
                try (PointerScope bucketScope = new PointerScope()) {
                    Tensor flat = flatten(bucket);
                    BroadcastOptions options = new BroadcastOptions().rootRank(root);
                    await(backend.broadcast(new TensorVector(flat), options), "broadcast");
                    if (rank() != root) unflatten(flat, bucket);
                }
            }
        }
    }

    /** Returns once every rank has called it. */
    public void barrier() {
        if (backend == null) return;
        checkOpen();
        try (PointerScope scope = new PointerScope()) {
            await(backend.barrier(), "barrier");
        }
    }

    /**
     * Releases the process group and the store; on rank 0 this stops the rendezvous server. Does not wait
     * for the other ranks: call {@link #barrier()} first when they may still need the store.
     */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        release(backend);
        release(groupStore);
        release(store);
        if (collectiveDevice != null) collectiveDevice.releaseReference();
        backend = null;
        groupStore = null;
        store = null;
    }

    @Override
    public String toString() {
        return backend == null ? "single process" : "rank " + rank() + " of " + worldSize() + " (" + backendName() + ")";
    }

    private static TCPStore connect(DistributedEnvironment env, Duration timeout) {
        TCPStoreOptions options = new TCPStoreOptions();
        // The port is a uint16_t: the cast keeps its 16 bits, also above 32767.
        options.port((short) env.masterPort()).isServer(env.rank() == 0).waitWorkers(false).useLibUV(false)
                .timeout(new Milliseconds(timeout.toMillis()));
        try {
            return new TCPStore(env.masterAddr(), options);
        } catch (RuntimeException e) {
            if (env.rank() == 0) {
                throw new DistributedException(where(env) + " could not serve the rendezvous on MASTER_ADDR:MASTER_PORT = "
                        + env.masterEndpoint() + " (is the port in use?): " + DistributedException.firstLine(e), e);
            }
            throw new DistributedException(where(env) + " could not reach the rendezvous at MASTER_ADDR:MASTER_PORT = "
                    + env.masterEndpoint() + " within " + seconds(timeout) + " (is rank 0 running, and do all ranks use the same "
                    + "MASTER_ADDR and MASTER_PORT?): " + DistributedException.firstLine(e), e);
        }
    }

    /** Counts the ranks in at the store; the last one in releases everybody. */
    private static void awaitAllRanks(TCPStore store, DistributedEnvironment env, Duration timeout) {
        long joined = store.add(JOINED_KEY, 1);
        if (joined == env.worldSize()) store.set(ALL_JOINED_KEY, "1");
        try {
            store._wait(new StringVector(ALL_JOINED_KEY), new Milliseconds(timeout.toMillis()));
        } catch (RuntimeException e) {
            long count;
            try {
                count = store.add(JOINED_KEY, 0);
            } catch (RuntimeException lost) {
                count = -1;
            }
            throw new DistributedException(where(env) + ": " + (count < 0 ? "lost the rendezvous server" : "only " + count + " of "
                    + env.worldSize() + " ranks") + " reached the rendezvous at MASTER_ADDR:MASTER_PORT = " + env.masterEndpoint()
                    + " within " + seconds(timeout) + " (did every rank start, with the same WORLD_SIZE?)", e);
        }
    }

    private static Backend gloo(Store groupStore, DistributedEnvironment env, Duration timeout) {
        ProcessGroupGloo.Options options = new ProcessGroupGloo.Options(new Milliseconds(timeout.toMillis()));
        options.devices(new GlooDeviceVector(glooDevice(env)));
        return new ProcessGroupGloo(groupStore, env.rank(), env.worldSize(), options);
    }

    /**
     * The address Gloo's pairs bind to. When the rendezvous is on loopback every rank is on this machine, so
     * loopback it is; otherwise the interface named by GLOO_SOCKET_IFNAME (as in PyTorch), else the address
     * this host's name resolves to.
     */
    private static org.bytedeco.pytorch.gloo.Device glooDevice(DistributedEnvironment env) {
        if (env.masterIsLoopback()) return ProcessGroupGloo.createDeviceForHostname("127.0.0.1");
        String ifname = System.getenv("GLOO_SOCKET_IFNAME");
        if (ifname != null && !ifname.isBlank()) return ProcessGroupGloo.createDeviceForInterface(ifname.trim());
        return ProcessGroupGloo.createDefaultDevice();
    }

    private void reduce(List<Tensor> tensors, boolean mean, String operation, boolean checkLayout) {
        checkOpen();
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            if (checkLayout) checkSameLayout(tensors, operation);
            for (List<Tensor> bucket : buckets(tensors)) {
                try (PointerScope bucketScope = new PointerScope()) {
                    Tensor flat = flatten(bucket);
                    await(backend.allreduce(new TensorVector(flat), reduceOptions(ReduceOp.RedOpType.SUM)), operation);
                    // Gloo has no AVG: sum, then divide.
                    if (mean) flat.div_(new Scalar(worldSize()));
                    unflatten(flat, bucket);
                }
            }
        }
    }

    /**
     * Fails on every rank alike when the ranks passed different tensors: one max-reduction of
     * (count, elements, shape hash) and their negatives gives each one's maximum and minimum over the ranks.
     */
    private void checkSameLayout(List<Tensor> tensors, String operation) {
        long count = tensors.size();
        long elements = 0;
        long hash = 17;
        for (Tensor t : tensors) {
            elements += t.numel();
            hash = hash * 31 + t.scalar_type().value;
            for (long d : Tensors.shape(t)) hash = hash * 31 + d;
            hash = hash * 31 + 7;
        }
        hash &= Long.MAX_VALUE;
        Tensor signature = Tensors.upload(Tensors.longs(count, elements, hash, -count, -elements, -hash), collectiveDevice, ScalarType.Long);
        await(backend.allreduce(new TensorVector(signature), reduceOptions(ReduceOp.RedOpType.MAX)), operation);
        long[] s = Tensors.toLongArray(signature);
        if (s[0] != -s[3] || s[1] != -s[4] || s[2] != -s[5]) {
            throw new DistributedException(operation + " on " + where(environment) + ": the ranks passed different tensors ("
                    + range(-s[3], s[0]) + " tensors, " + range(-s[4], s[1]) + " elements"
                    + (s[0] == -s[3] && s[1] == -s[4] ? ", different shapes or types" : "") + "; this rank: " + count + " tensors, "
                    + elements + " elements): every rank must pass the same tensors in the same order");
        }
    }

    private static String range(long min, long max) {
        return min == max ? Long.toString(min) : "from " + min + " to " + max;
    }

    /** Consecutive tensors of one dtype and device, at most {@link #BUCKET_ELEMENTS} each (a larger tensor goes alone). */
    private static List<List<Tensor>> buckets(List<Tensor> tensors) {
        List<List<Tensor>> out = new ArrayList<>();
        List<Tensor> current = new ArrayList<>();
        long size = 0;
        for (Tensor t : tensors) {
            boolean fits = current.isEmpty() || (sameKind(current.get(0), t) && size + t.numel() <= BUCKET_ELEMENTS);
            if (!fits) {
                out.add(current);
                current = new ArrayList<>();
                size = 0;
            }
            current.add(t);
            size += t.numel();
        }
        if (!current.isEmpty()) out.add(current);
        return out;
    }

    private static boolean sameKind(Tensor a, Tensor b) {
        if (a.scalar_type() != b.scalar_type()) return false;
        Device da = a.device();
        Device db = b.device();
        return da.type() == db.type() && da.index() == db.index();
    }

    private static Tensor flatten(List<Tensor> bucket) {
        TensorVector parts = new TensorVector();
        for (Tensor t : bucket) parts.push_back(t.reshape(-1));
        return torch.cat(parts, 0);
    }

    private static void unflatten(Tensor flat, List<Tensor> bucket) {
        long offset = 0;
        for (Tensor t : bucket) {
            long n = t.numel();
            t.copy_(flat.narrow(0, offset, n).view(Tensors.shape(t)));
            offset += n;
        }
    }

    private void await(Work work, String operation) {
        boolean done;
        try {
            done = work._wait();
        } catch (RuntimeException e) {
            throw new DistributedException(operation + " failed on " + where(environment) + " (collective timeout "
                    + seconds(collectiveTimeout) + "; did another rank fail, stop, or call a different collective?): "
                    + DistributedException.firstLine(e), e);
        }
        if (!done) throw new DistributedException(operation + " did not complete on " + where(environment));
    }

    private static AllreduceOptions reduceOptions(ReduceOp.RedOpType op) {
        return new AllreduceOptions().reduceOp(new ReduceOp(op));
    }

    private List<Tensor> checked(Collection<Tensor> tensors, String operation, boolean floating) {
        if (tensors == null) throw new IllegalArgumentException(operation + ": no tensors (null)");
        List<Tensor> list = new ArrayList<>(tensors.size());
        int i = 0;
        for (Tensor t : tensors) {
            if (t == null || t.isNull() || !t.defined()) {
                throw new IllegalArgumentException(operation + ": tensor " + i + " is undefined" + (operation.equals("allReduceMean")
                        ? " (a parameter without gradient? allReduceGradients handles those)" : ""));
            }
            if (floating && !t.is_floating_point()) {
                throw new IllegalArgumentException(operation + ": tensor " + i + " is " + t.scalar_type() + ", not floating point");
            }
            list.add(t);
            i++;
        }
        return list;
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("distributed context of " + where(environment) + " is closed");
    }

    private static String where(DistributedEnvironment env) {
        return "rank " + env.rank() + " of " + env.worldSize();
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static <P extends Pointer> P retained(P pointer) {
        pointer.retainReference();
        return pointer;
    }

    private static void release(Pointer pointer) {
        if (pointer != null && !pointer.isNull()) pointer.releaseReference();
    }
}
