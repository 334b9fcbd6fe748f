.class Lorg/hypercompat/corpus/binder_aidl/MainActivity$1;
.super Ljava/lang/Object;
.source "MainActivity.java"

# interfaces
.implements Landroid/content/ServiceConnection;


# annotations
.annotation system Ldalvik/annotation/EnclosingClass;
    value = Lorg/hypercompat/corpus/binder_aidl/MainActivity;
.end annotation

.annotation system Ldalvik/annotation/InnerClass;
    accessFlags = 0x0
    name = null
.end annotation


# instance fields
.field final synthetic this$0:Lorg/hypercompat/corpus/binder_aidl/MainActivity;


# direct methods
.method constructor <init>(Lorg/hypercompat/corpus/binder_aidl/MainActivity;)V
    .registers 2
    .param p1, "this$0"    # Lorg/hypercompat/corpus/binder_aidl/MainActivity;

    iput-object p1, p0, Lorg/hypercompat/corpus/binder_aidl/MainActivity$1;->this$0:Lorg/hypercompat/corpus/binder_aidl/MainActivity;

    invoke-direct {p0}, Ljava/lang/Object;-><init>()V

    return-void
.end method


# virtual methods
.method public onServiceConnected(Landroid/content/ComponentName;Landroid/os/IBinder;)V
    .registers 8
    .param p1, "name"    # Landroid/content/ComponentName;
    .param p2, "service"    # Landroid/os/IBinder;

    invoke-static {p2}, Lorg/hypercompat/corpus/binder_aidl/ICalculator$Stub;->asInterface(Landroid/os/IBinder;)Lorg/hypercompat/corpus/binder_aidl/ICalculator;

    move-result-object v0

    .local v0, "calculator":Lorg/hypercompat/corpus/binder_aidl/ICalculator;
    :try_start_0
    const/16 v1, 0x28

    const/4 v2, 0x2

    invoke-interface {v0, v1, v2}, Lorg/hypercompat/corpus/binder_aidl/ICalculator;->add(II)I

    move-result v1

    .local v1, "sum":I
    iget-object v2, p0, Lorg/hypercompat/corpus/binder_aidl/MainActivity$1;->this$0:Lorg/hypercompat/corpus/binder_aidl/MainActivity;

    new-instance v3, Ljava/lang/StringBuilder;

    invoke-direct {v3}, Ljava/lang/StringBuilder;-><init>()V

    const-string v4, "ICalculator.add(40, 2) = "

    invoke-virtual {v3, v4}, Ljava/lang/StringBuilder;->append(Ljava/lang/String;)Ljava/lang/StringBuilder;

    invoke-virtual {v3, v1}, Ljava/lang/StringBuilder;->append(I)Ljava/lang/StringBuilder;

    invoke-virtual {v3}, Ljava/lang/StringBuilder;->toString()Ljava/lang/String;

    move-result-object v3

    invoke-virtual {v2, v3}, Lorg/hypercompat/corpus/binder_aidl/MainActivity;->showLine(Ljava/lang/String;)V
    :try_end_0
    .catch Landroid/os/RemoteException; {:try_start_0 .. :try_end_0} :catch_0

    goto :goto_0

    :catch_0
    move-exception v1

    const-string v2, "BinderAidl"

    const-string v3, "add() failed"

    invoke-static {v2, v3, v1}, Landroid/util/Log;->e(Ljava/lang/String;Ljava/lang/String;Ljava/lang/Throwable;)I

    :goto_0
    return-void
.end method

.method public onServiceDisconnected(Landroid/content/ComponentName;)V
    .registers 4
    .param p1, "name"    # Landroid/content/ComponentName;

    iget-object v0, p0, Lorg/hypercompat/corpus/binder_aidl/MainActivity$1;->this$0:Lorg/hypercompat/corpus/binder_aidl/MainActivity;

    const-string v1, "service disconnected"

    invoke-virtual {v0, v1}, Lorg/hypercompat/corpus/binder_aidl/MainActivity;->showLine(Ljava/lang/String;)V

    return-void
.end method
