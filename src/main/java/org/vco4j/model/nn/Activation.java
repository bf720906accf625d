package org.vco4j.model.nn;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import java.util.Arrays;
import java.util.Locale;

/** The activation functions named by Hugging Face configs ({@code hidden_act}, {@code projector_hidden_act}). */
public enum Activation {
    QUICK_GELU("quick_gelu"),
    GELU("gelu"),
    GELU_PYTORCH_TANH("gelu_pytorch_tanh"),
    SILU("silu"),
    RELU("relu");

    public final String configName;

    Activation(String configName) {
        this.configName = configName;
    }

    /** The activation a config names; fails listing the known names. */
    public static Activation fromConfig(String field, String name) {
        if (name == null) throw new IllegalArgumentException(field + " must be set (it is null)");
        for (Activation a : values()) if (a.configName.equals(name.toLowerCase(Locale.ROOT))) return a;
        if (name.equalsIgnoreCase("swish")) return SILU;
        throw new IllegalArgumentException(field + ": unsupported activation '" + name + "' (supported: "
                + Arrays.stream(values()).map(a -> a.configName).toList() + ")");
    }

    public Tensor apply(Tensor x) {
        return switch (this) {
            // CLIP's quick_gelu: x * sigmoid(1.702 x), cheaper than erf and what OpenAI trained with.
            case QUICK_GELU -> x.mul(x.mul(new Scalar(1.702)).sigmoid());
            case GELU -> torch.gelu(x);
            case GELU_PYTORCH_TANH -> torch.gelu(x, "tanh");
            case SILU -> torch.silu(x);
            case RELU -> torch.relu(x);
        };
    }
}
