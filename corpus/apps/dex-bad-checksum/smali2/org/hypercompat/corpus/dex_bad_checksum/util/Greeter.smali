.class public final Lorg/hypercompat/corpus/dex_bad_checksum/util/Greeter;
.super Ljava/lang/Object;
.source "Greeter.java"


# direct methods
.method private constructor <init>()V
    .registers 1

    invoke-direct {p0}, Ljava/lang/Object;-><init>()V

    return-void
.end method

.method public static greeting()Ljava/lang/String;
    .registers 1

    const-string v0, "Hello from classes2.dex."

    return-object v0
.end method
