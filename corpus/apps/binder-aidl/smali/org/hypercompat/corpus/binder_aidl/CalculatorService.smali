.class public Lorg/hypercompat/corpus/binder_aidl/CalculatorService;
.super Landroid/app/Service;
.source "CalculatorService.java"


# instance fields
.field private final mBinder:Lorg/hypercompat/corpus/binder_aidl/ICalculator$Stub;


# direct methods
.method public constructor <init>()V
    .registers 2

    invoke-direct {p0}, Landroid/app/Service;-><init>()V

    new-instance v0, Lorg/hypercompat/corpus/binder_aidl/CalculatorService$1;

    invoke-direct {v0, p0}, Lorg/hypercompat/corpus/binder_aidl/CalculatorService$1;-><init>(Lorg/hypercompat/corpus/binder_aidl/CalculatorService;)V

    iput-object v0, p0, Lorg/hypercompat/corpus/binder_aidl/CalculatorService;->mBinder:Lorg/hypercompat/corpus/binder_aidl/ICalculator$Stub;

    return-void
.end method


# virtual methods
.method public onBind(Landroid/content/Intent;)Landroid/os/IBinder;
    .registers 3
    .param p1, "intent"    # Landroid/content/Intent;

    iget-object v0, p0, Lorg/hypercompat/corpus/binder_aidl/CalculatorService;->mBinder:Lorg/hypercompat/corpus/binder_aidl/ICalculator$Stub;

    return-object v0
.end method
