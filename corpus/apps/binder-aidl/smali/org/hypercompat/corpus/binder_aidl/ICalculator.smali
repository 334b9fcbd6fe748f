.class public interface abstract Lorg/hypercompat/corpus/binder_aidl/ICalculator;
.super Ljava/lang/Object;
.source "ICalculator.java"

# interfaces
.implements Landroid/os/IInterface;


# annotations
.annotation system Ldalvik/annotation/MemberClasses;
    value = {
        Lorg/hypercompat/corpus/binder_aidl/ICalculator$Stub;
    }
.end annotation


# virtual methods
.method public abstract add(II)I
    .annotation system Ldalvik/annotation/Throws;
        value = {
            Landroid/os/RemoteException;
        }
    .end annotation
.end method
