package org.vco4j.model.nn;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** {@code torch.nn.Embedding}: {@code weight} is [numEmbeddings, dim]. */
public final class Embedding extends Module {
    public final long numEmbeddings;
    public final long dim;
    private final Tensor weight;

    public Embedding(ParameterFactory factory, long numEmbeddings, long dim) {
        this.numEmbeddings = numEmbeddings;
        this.dim = dim;
        this.weight = parameter("weight", factory.zeros(numEmbeddings, dim));
    }

    public Tensor forward(Tensor ids) {
        return torch.embedding(weight, ids);
    }

    public Tensor weight() {
        return weight;
    }
}
