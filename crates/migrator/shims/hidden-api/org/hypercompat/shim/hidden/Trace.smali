.class public final Lorg/hypercompat/shim/hidden/Trace;
.super Ljava/lang/Object;
.source "Trace.smali"

# Public equivalents of android.os.Trace's hidden tag-based calls (traceBegin, traceEnd,
# isTagEnabled: "unsupported" non-SDK interfaces). An app can only write the app tag, so the
# tag argument is dropped: beginSection/endSection (API 18) write to it.

.method private constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

.method public static traceBegin(JLjava/lang/String;)V
    .registers 3
    invoke-static {p2}, Landroid/os/Trace;->beginSection(Ljava/lang/String;)V
    return-void
.end method

.method public static traceEnd(J)V
    .registers 2
    invoke-static {}, Landroid/os/Trace;->endSection()V
    return-void
.end method

# Trace.isEnabled() is public from API 29; before it, report tracing as off.
.method public static isTagEnabled(J)Z
    .registers 4
    sget v0, Landroid/os/Build$VERSION;->SDK_INT:I
    const/16 v1, 0x1d
    if-lt v0, v1, :old
    invoke-static {}, Landroid/os/Trace;->isEnabled()Z
    move-result v0
    return v0
    :old
    const/4 v0, 0x0
    return v0
.end method
