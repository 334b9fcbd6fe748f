.class Lorg/hypercompat/corpus/binder_aidl/CalculatorService$1;
.super Lorg/hypercompat/corpus/binder_aidl/ICalculator$Stub;
.source "CalculatorService.java"


# annotations
.annotation system Ldalvik/annotation/EnclosingClass;
    value = Lorg/hypercompat/corpus/binder_aidl/CalculatorService;
.end annotation

.annotation system Ldalvik/annotation/InnerClass;
    accessFlags = 0x0
    name = null
.end annotation


# instance fields
.field final synthetic this$0:Lorg/hypercompat/corpus/binder_aidl/CalculatorService;


# direct methods
.method constructor <init>(Lorg/hypercompat/corpus/binder_aidl/CalculatorService;)V
    .registers 2
    .param p1, "this$0"    # Lorg/hypercompat/corpus/binder_aidl/CalculatorService;

    iput-object p1, p0, Lorg/hypercompat/corpus/binder_aidl/CalculatorService$1;->this$0:Lorg/hypercompat/corpus/binder_aidl/CalculatorService;

    invoke-direct {p0}, Lorg/hypercompat/corpus/binder_aidl/ICalculator$Stub;-><init>()V

    return-void
.end method


# virtual methods
.method public add(II)I
    .registers 4
    .param p1, "a"    # I
    .param p2, "b"    # I

    add-int v0, p1, p2

    return v0
.end method
