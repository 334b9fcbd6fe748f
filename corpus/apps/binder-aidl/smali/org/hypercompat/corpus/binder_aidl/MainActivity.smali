.class public Lorg/hypercompat/corpus/binder_aidl/MainActivity;
.super Landroid/app/Activity;
.source "MainActivity.java"


# instance fields
.field private bound:Z

.field private final connection:Landroid/content/ServiceConnection;

.field private output:Landroid/widget/TextView;


# direct methods
.method public constructor <init>()V
    .registers 2

    invoke-direct {p0}, Landroid/app/Activity;-><init>()V

    new-instance v0, Lorg/hypercompat/corpus/binder_aidl/MainActivity$1;

    invoke-direct {v0, p0}, Lorg/hypercompat/corpus/binder_aidl/MainActivity$1;-><init>(Lorg/hypercompat/corpus/binder_aidl/MainActivity;)V

    iput-object v0, p0, Lorg/hypercompat/corpus/binder_aidl/MainActivity;->connection:Landroid/content/ServiceConnection;

    return-void
.end method

# Hidden API: android.os.ServiceManager.getService("activity") via reflection.
.method private static activityManagerDescriptor()Ljava/lang/String;
    .registers 7

    :try_start_0
    const-string v0, "android.os.ServiceManager"

    invoke-static {v0}, Ljava/lang/Class;->forName(Ljava/lang/String;)Ljava/lang/Class;

    move-result-object v0

    const-string v1, "getService"

    const/4 v2, 0x1

    new-array v3, v2, [Ljava/lang/Class;

    const-class v4, Ljava/lang/String;

    const/4 v5, 0x0

    aput-object v4, v3, v5

    invoke-virtual {v0, v1, v3}, Ljava/lang/Class;->getMethod(Ljava/lang/String;[Ljava/lang/Class;)Ljava/lang/reflect/Method;

    move-result-object v0

    .local v0, "getService":Ljava/lang/reflect/Method;
    new-array v1, v2, [Ljava/lang/Object;

    const-string v2, "activity"

    aput-object v2, v1, v5

    const/4 v2, 0x0

    invoke-virtual {v0, v2, v1}, Ljava/lang/reflect/Method;->invoke(Ljava/lang/Object;[Ljava/lang/Object;)Ljava/lang/Object;

    move-result-object v0

    check-cast v0, Landroid/os/IBinder;

    .local v0, "binder":Landroid/os/IBinder;
    if-nez v0, :cond_0

    const-string v0, "null"

    return-object v0

    :cond_0
    invoke-interface {v0}, Landroid/os/IBinder;->getInterfaceDescriptor()Ljava/lang/String;

    move-result-object v0
    :try_end_0
    .catch Ljava/lang/Exception; {:try_start_0 .. :try_end_0} :catch_0

    return-object v0

    :catch_0
    move-exception v0

    invoke-virtual {v0}, Ljava/lang/Exception;->toString()Ljava/lang/String;

    move-result-object v0

    return-object v0
.end method


# virtual methods
.method protected onCreate(Landroid/os/Bundle;)V
    .registers 5
    .param p1, "savedInstanceState"    # Landroid/os/Bundle;

    invoke-super {p0, p1}, Landroid/app/Activity;->onCreate(Landroid/os/Bundle;)V

    new-instance v0, Landroid/widget/TextView;

    invoke-direct {v0, p0}, Landroid/widget/TextView;-><init>(Landroid/content/Context;)V

    iput-object v0, p0, Lorg/hypercompat/corpus/binder_aidl/MainActivity;->output:Landroid/widget/TextView;

    invoke-virtual {p0, v0}, Lorg/hypercompat/corpus/binder_aidl/MainActivity;->setContentView(Landroid/view/View;)V

    new-instance v1, Ljava/lang/StringBuilder;

    invoke-direct {v1}, Ljava/lang/StringBuilder;-><init>()V

    const-string v2, "ServiceManager.getService(\"activity\"): "

    invoke-virtual {v1, v2}, Ljava/lang/StringBuilder;->append(Ljava/lang/String;)Ljava/lang/StringBuilder;

    invoke-static {}, Lorg/hypercompat/corpus/binder_aidl/MainActivity;->activityManagerDescriptor()Ljava/lang/String;

    move-result-object v2

    invoke-virtual {v1, v2}, Ljava/lang/StringBuilder;->append(Ljava/lang/String;)Ljava/lang/StringBuilder;

    invoke-virtual {v1}, Ljava/lang/StringBuilder;->toString()Ljava/lang/String;

    move-result-object v1

    invoke-virtual {p0, v1}, Lorg/hypercompat/corpus/binder_aidl/MainActivity;->showLine(Ljava/lang/String;)V

    return-void
.end method

.method protected onStart()V
    .registers 4

    invoke-super {p0}, Landroid/app/Activity;->onStart()V

    new-instance v0, Landroid/content/Intent;

    const-class v1, Lorg/hypercompat/corpus/binder_aidl/CalculatorService;

    invoke-direct {v0, p0, v1}, Landroid/content/Intent;-><init>(Landroid/content/Context;Ljava/lang/Class;)V

    .local v0, "intent":Landroid/content/Intent;
    iget-object v1, p0, Lorg/hypercompat/corpus/binder_aidl/MainActivity;->connection:Landroid/content/ServiceConnection;

    const/4 v2, 0x1    # Context.BIND_AUTO_CREATE

    invoke-virtual {p0, v0, v1, v2}, Lorg/hypercompat/corpus/binder_aidl/MainActivity;->bindService(Landroid/content/Intent;Landroid/content/ServiceConnection;I)Z

    move-result v1

    iput-boolean v1, p0, Lorg/hypercompat/corpus/binder_aidl/MainActivity;->bound:Z

    return-void
.end method

.method protected onStop()V
    .registers 3

    iget-boolean v0, p0, Lorg/hypercompat/corpus/binder_aidl/MainActivity;->bound:Z

    if-eqz v0, :cond_0

    iget-object v0, p0, Lorg/hypercompat/corpus/binder_aidl/MainActivity;->connection:Landroid/content/ServiceConnection;

    invoke-virtual {p0, v0}, Lorg/hypercompat/corpus/binder_aidl/MainActivity;->unbindService(Landroid/content/ServiceConnection;)V

    const/4 v0, 0x0

    iput-boolean v0, p0, Lorg/hypercompat/corpus/binder_aidl/MainActivity;->bound:Z

    :cond_0
    invoke-super {p0}, Landroid/app/Activity;->onStop()V

    return-void
.end method

.method showLine(Ljava/lang/String;)V
    .registers 4
    .param p1, "line"    # Ljava/lang/String;

    iget-object v0, p0, Lorg/hypercompat/corpus/binder_aidl/MainActivity;->output:Landroid/widget/TextView;

    invoke-virtual {v0, p1}, Landroid/widget/TextView;->append(Ljava/lang/CharSequence;)V

    iget-object v0, p0, Lorg/hypercompat/corpus/binder_aidl/MainActivity;->output:Landroid/widget/TextView;

    const-string v1, "\n"

    invoke-virtual {v0, v1}, Landroid/widget/TextView;->append(Ljava/lang/CharSequence;)V

    return-void
.end method
