.class public abstract Lorg/hypercompat/corpus/binder_aidl/ICalculator$Stub;
.super Landroid/os/Binder;
.source "ICalculator.java"

# interfaces
.implements Lorg/hypercompat/corpus/binder_aidl/ICalculator;


# annotations
.annotation system Ldalvik/annotation/EnclosingClass;
    value = Lorg/hypercompat/corpus/binder_aidl/ICalculator;
.end annotation

.annotation system Ldalvik/annotation/InnerClass;
    accessFlags = 0x409
    name = "Stub"
.end annotation

.annotation system Ldalvik/annotation/MemberClasses;
    value = {
        Lorg/hypercompat/corpus/binder_aidl/ICalculator$Stub$Proxy;
    }
.end annotation


# static fields
.field private static final DESCRIPTOR:Ljava/lang/String; = "org.hypercompat.corpus.binder_aidl.ICalculator"

.field static final TRANSACTION_add:I = 0x1


# direct methods
.method public constructor <init>()V
    .registers 2

    .line 16
    invoke-direct {p0}, Landroid/os/Binder;-><init>()V

    .line 17
    const-string v0, "org.hypercompat.corpus.binder_aidl.ICalculator"

    invoke-virtual {p0, p0, v0}, Lorg/hypercompat/corpus/binder_aidl/ICalculator$Stub;->attachInterface(Landroid/os/IInterface;Ljava/lang/String;)V

    .line 18
    return-void
.end method

.method public static asInterface(Landroid/os/IBinder;)Lorg/hypercompat/corpus/binder_aidl/ICalculator;
    .registers 3
    .param p0, "obj"    # Landroid/os/IBinder;

    .line 25
    if-nez p0, :cond_4

    .line 26
    const/4 v0, 0x0

    return-object v0

    .line 28
    :cond_4
    const-string v0, "org.hypercompat.corpus.binder_aidl.ICalculator"

    invoke-interface {p0, v0}, Landroid/os/IBinder;->queryLocalInterface(Ljava/lang/String;)Landroid/os/IInterface;

    move-result-object v0

    .line 29
    .local v0, "iin":Landroid/os/IInterface;
    if-eqz v0, :cond_14

    instance-of v1, v0, Lorg/hypercompat/corpus/binder_aidl/ICalculator;

    if-eqz v1, :cond_14

    .line 30
    move-object v1, v0

    check-cast v1, Lorg/hypercompat/corpus/binder_aidl/ICalculator;

    return-object v1

    .line 32
    :cond_14
    new-instance v1, Lorg/hypercompat/corpus/binder_aidl/ICalculator$Stub$Proxy;

    invoke-direct {v1, p0}, Lorg/hypercompat/corpus/binder_aidl/ICalculator$Stub$Proxy;-><init>(Landroid/os/IBinder;)V

    return-object v1
.end method


# virtual methods
.method public asBinder()Landroid/os/IBinder;
    .registers 1

    .line 36
    return-object p0
.end method

.method public onTransact(ILandroid/os/Parcel;Landroid/os/Parcel;I)Z
    .registers 10
    .param p1, "code"    # I
    .param p2, "data"    # Landroid/os/Parcel;
    .param p3, "reply"    # Landroid/os/Parcel;
    .param p4, "flags"    # I
    .annotation system Ldalvik/annotation/Throws;
        value = {
            Landroid/os/RemoteException;
        }
    .end annotation

    .line 40
    const-string v0, "org.hypercompat.corpus.binder_aidl.ICalculator"

    .line 41
    .local v0, "descriptor":Ljava/lang/String;
    const/4 v1, 0x1

    sparse-switch p1, :sswitch_data_2a

    .line 60
    invoke-super {p0, p1, p2, p3, p4}, Landroid/os/Binder;->onTransact(ILandroid/os/Parcel;Landroid/os/Parcel;I)Z

    move-result v1

    return v1

    .line 45
    :sswitch_c
    invoke-virtual {p3, v0}, Landroid/os/Parcel;->writeString(Ljava/lang/String;)V

    .line 46
    return v1

    .line 50
    :sswitch_10
    invoke-virtual {p2, v0}, Landroid/os/Parcel;->enforceInterface(Ljava/lang/String;)V

    .line 52
    invoke-virtual {p2}, Landroid/os/Parcel;->readInt()I

    move-result v2

    .line 54
    .local v2, "_arg0":I
    invoke-virtual {p2}, Landroid/os/Parcel;->readInt()I

    move-result v3

    .line 55
    .local v3, "_arg1":I
    invoke-virtual {p0, v2, v3}, Lorg/hypercompat/corpus/binder_aidl/ICalculator$Stub;->add(II)I

    move-result v4

    .line 56
    .local v4, "_result":I
    invoke-virtual {p3}, Landroid/os/Parcel;->writeNoException()V

    .line 57
    invoke-virtual {p3, v4}, Landroid/os/Parcel;->writeInt(I)V

    .line 58
    return v1

    :sswitch_data_2a
    .sparse-switch
        0x1 -> :sswitch_10
        0x5f4e5446 -> :sswitch_c
    .end sparse-switch
.end method
